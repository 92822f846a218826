// Sends the browser to a login cookie route (pages/_auth.py `_hop`): the target is the data-cm-redirect attribute
// of the element written just before this script, so no value is ever written into script text.
(function () {
  var marks = document.querySelectorAll("[data-cm-redirect]");
  var mark = marks[marks.length - 1];
  if (mark && mark.dataset.cmRedirect) window.location.replace(mark.dataset.cmRedirect);
})();
