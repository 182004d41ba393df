/* Gives back what a user typed into a form that could not be sent (the session had expired, the CSRF check failed):
   base.html renders the kept fields as JSON (#kept-form-data) on the form's page; this fills the form posted to the
   same address (or, failing that, the form that has the most of the kept fields), opens its <details> and shows it.
   Files are never kept. No inline script (Content-Security-Policy). */
(function () {
  var node = document.getElementById("kept-form-data");
  if (!node) { return; }
  var kept;
  try { kept = JSON.parse(node.textContent); } catch (e) { return; }
  var fields = kept.fields || {};
  var names = Object.keys(fields);
  var forms = Array.prototype.slice.call(document.querySelectorAll("form"));
  function pathOf(form) {
    try { return new URL(form.getAttribute("action") || window.location.href, window.location.href).pathname; }
    catch (e) { return ""; }
  }
  function score(form) {
    return names.filter(function (name) { return form.elements.namedItem(name); }).length;
  }
  var target = forms.filter(function (form) { return pathOf(form) === kept.action; })[0];
  if (!target) {
    target = forms.filter(function (form) { return form.method.toLowerCase() === "post"; })
      .sort(function (a, b) { return score(b) - score(a); })[0];
    if (!target || !score(target)) { return; }
  }
  names.forEach(function (name) {
    var values = fields[name];
    Array.prototype.slice.call(target.elements).forEach(function (el) {
      if (el.name !== name || el.type === "file" || el.type === "password") { return; }
      if (el.type === "checkbox" || el.type === "radio") {
        el.checked = values.indexOf(el.value) !== -1;
      } else if (el.tagName === "SELECT") {
        Array.prototype.slice.call(el.options).forEach(function (option) {
          option.selected = values.indexOf(option.value) !== -1;
        });
      } else {
        el.value = values[0] !== undefined ? values[0] : "";
      }
      el.dispatchEvent(new Event("change", { bubbles: true }));
    });
  });
  var box = target.closest("details");
  if (box) { box.open = true; }
  target.classList.add("kept-form");
  target.scrollIntoView({ block: "center" });
})();
