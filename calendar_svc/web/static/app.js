// Small conveniences on top of a page that works without JavaScript:
// a copy button for the subscribe link, and filter menus that apply on change.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll("[data-copy]")) {
    const input = document.getElementById(button.dataset.copy);
    if (!input || !navigator.clipboard) continue;
    button.hidden = false;
    button.addEventListener("click", async () => {
      await navigator.clipboard.writeText(input.value);
      button.textContent = "已复制";
      setTimeout(() => { button.textContent = "复制"; }, 2000);
    });
  }
  for (const select of document.querySelectorAll("select[data-autosubmit]")) {
    select.addEventListener("change", () => select.form.requestSubmit());
  }
  const url = document.getElementById("feed-url");
  if (url) url.addEventListener("focus", () => url.select());
});
