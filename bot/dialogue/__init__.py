"""textpay."""
