"""Accessibility checks run in the browser: labels, contrast, phone-sized layout."""

from __future__ import annotations

# Every visible form control has a label (or aria-label / aria-labelledby).
UNLABELLED = """
() => [...document.querySelectorAll('input, select, textarea')]
  .filter((el) => el.type !== 'hidden' && el.offsetParent !== null)
  .filter((el) => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
                  && !el.getAttribute('aria-labelledby'))
  .map((el) => el.outerHTML.slice(0, 120))
"""

# WCAG contrast of every visible text element against its effective background.
LOW_CONTRAST = """
() => {
  const rgb = (s) => (s.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const c = [r, g, b].map((v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  };
  const background = (el) => {
    for (let node = el; node; node = node.parentElement) {
      const parts = rgb(getComputedStyle(node).backgroundColor);
      if (parts.length === 3 || (parts.length === 4 && parts[3] > 0.5)) return parts.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const problems = [];
  const selector = 'a, button, label, legend, th, td, p, li, h1, h2, h3, dt, dd, span, small, '
    + 'strong, summary, option';
  for (const el of document.querySelectorAll(selector)) {
    if (el.offsetParent === null || !el.textContent.trim()) continue;
    if (![...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim())) continue;
    const style = getComputedStyle(el);
    const fg = rgb(style.color).slice(0, 3);
    const [a, b] = [lum(fg), lum(background(el))];
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
    if (ratio < (large ? 3 : 4.5)) {
      problems.push(`${el.tagName} "${el.textContent.trim().slice(0, 40)}" ${ratio.toFixed(2)}`);
    }
  }
  return problems;
}
"""

DOCUMENT_WIDTH = "() => document.documentElement.scrollWidth"


def check_page(page) -> None:
    """Fail with the details when a page has unlabelled inputs or low-contrast text."""
    assert page.evaluate(UNLABELLED) == [], page.url
    assert page.evaluate(LOW_CONTRAST) == [], page.url


def document_width(page) -> int:
    """How wide the page's document is, in CSS pixels (what sideways scrolling reveals)."""
    return page.evaluate(DOCUMENT_WIDTH)
