// The sidebar's "Copy link to this view" button (pages/_shared.py): the page URL holds the whole view.
(function () {
  if (window.__cmCopyLinkBound) return;
  window.__cmCopyLinkBound = true;
  document.addEventListener("click", function (e) {
    var b = e.target.closest && e.target.closest("#cm-copy-link");
    if (!b) return;
    var href = window.location.href;
    function done(ok) { b.textContent = ok ? "Link copied" : "Copy failed: use the address bar";
                        setTimeout(function () { b.textContent = "Copy link to this view"; }, 2000); }
    b.dataset.href = href;
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(href).then(function () { done(true); }, function () { done(false); });
    } else { done(false); }
  });
})();
