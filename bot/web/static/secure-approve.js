// The approval page: Stripe.js shows the bank's own approval step; Stripe's webhook
// records the result. A file of its own (no inline script), so the page's
// Content-Security-Policy can allow only our scripts and Stripe's. The payment lives
// in the dealer's connected Stripe account, when it has one.
(function () {
  const status = document.getElementById("status");
  const options = status.dataset.account ? { stripeAccount: status.dataset.account } : {};
  const stripe = Stripe(status.dataset.key, options);
  stripe.confirmCardPayment(status.dataset.secret).then(function (result) {
    // The words come from the page, in the borrower's language.
    status.textContent = result.error ? status.dataset.declined : status.dataset.approved;
  });
})();
