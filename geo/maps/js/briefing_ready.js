// BriefingReady (geo/exports/browser.py): fit the title and the article list, place the labels, then say
// window.cmReady so the screenshot or PDF is taken. o.more: articles already left out of the list.
window.CM.plugins.briefingReady = function (map, o) {
  function fitArticles() {
    var list = document.querySelector(".cm-articles"), side = document.querySelector(".cm-side");
    var more = document.querySelector(".cm-more"), extra = o.more;
    while (list && list.children.length && side.scrollHeight > side.clientHeight) {
      list.removeChild(list.lastElementChild); extra += 1;
      more.textContent = "and " + extra + " more article" + (extra === 1 ? "" : "s");
    }
  }
  function fitTitle() {
    var h1 = document.querySelector(".cm-head h1"), size = 29;
    while (h1 && h1.scrollWidth > h1.clientWidth && size > 20) { size -= 1; h1.style.fontSize = size + "px"; }
  }
  var done = function () {
    fitTitle();
    fitArticles();
    if (window.cmPlaceLabels) { window.cmPlaceLabels(); }
    requestAnimationFrame(function () { requestAnimationFrame(function () { window.cmReady = true; }); });
  };
  (document.fonts ? document.fonts.ready : Promise.resolve()).then(done, done);
};
