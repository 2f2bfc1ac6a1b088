// Small conveniences on top of a page that works without JavaScript: copy buttons for the
// subscribe link, and "添加到 Google 日历", which copies the link before it opens Google's
// "add by URL" page (where the link has to be pasted).
"use strict";

function copyFrom(id) {
  const input = document.getElementById(id);
  if (!input || !navigator.clipboard) return Promise.reject(new Error("no clipboard"));
  return navigator.clipboard.writeText(input.value);
}

document.addEventListener("DOMContentLoaded", () => {
  if (navigator.clipboard) {
    for (const button of document.querySelectorAll("[data-copy]")) {
      button.hidden = false;
      button.addEventListener("click", async () => {
        await copyFrom(button.dataset.copy);
        button.textContent = "已复制";
        setTimeout(() => { button.textContent = "复制"; }, 2000);
      });
    }
  }
  const google = document.querySelector("[data-copy-then-open]");
  const hint = document.getElementById("google-hint");
  if (google) {
    google.addEventListener("click", () => {
      copyFrom(google.dataset.copyThenOpen).then(
        () => { if (hint) hint.textContent = "订阅链接已复制：在刚打开的 Google 日历页面中粘贴，点“添加日历”。"; },
        () => {},
      );
    });
  }
  const url = document.getElementById("feed-url");
  if (url) url.addEventListener("focus", () => url.select());
});
