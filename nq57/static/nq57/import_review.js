// The notice import review page: jump between a task and its place in the source, and submit the review as one
// JSON field so that a notice of any size can be confirmed (Django refuses a POST with more than 1000 fields).
(function () {
  "use strict";
  var source = document.getElementById("source");
  var form = document.getElementById("review-form");
  if (!source || !form) { return; }

  function activate(row) {
    source.querySelectorAll("mark.active").forEach(function (m) { m.classList.remove("active"); });
    source.querySelectorAll('mark[data-row="' + row + '"]').forEach(function (m) { m.classList.add("active"); });
  }
  function jump(row) {
    var anchor = document.getElementById("src-" + row) || source.querySelector('mark[data-row="' + row + '"]');
    if (anchor) { source.scrollTop = anchor.offsetTop - source.offsetTop - 12; }
    activate(row);
  }
  document.querySelectorAll("[data-jump]").forEach(function (link) {
    link.addEventListener("click", function (event) { event.preventDefault(); jump(link.dataset.jump); });
  });
  document.querySelectorAll(".task-card").forEach(function (card) {
    card.addEventListener("focusin", function () { activate(card.dataset.row); });
  });
  source.addEventListener("click", function (event) {
    var mark = event.target.closest("mark[data-row]");
    var card = mark && document.getElementById("task-" + mark.dataset.row);
    if (card) { card.scrollIntoView({block: "start"}); activate(mark.dataset.row); }
  });

  // On submit: every field the form would post goes into review_payload as [name, value] pairs; the individual
  // fields are left out of the request (a hidden clone form carries only the token, the payload and the options).
  form.addEventListener("submit", function (event) {
    var submitter = event.submitter;
    var pairs = [];
    new FormData(form).forEach(function (value, name) {
      if (name === "csrfmiddlewaretoken" || name === "review_payload" || name === "register_unknown") { return; }
      if (typeof value === "string") { pairs.push([name, value]); }
    });
    event.preventDefault();
    var carrier = document.createElement("form");
    carrier.method = "post";
    carrier.action = (submitter && submitter.getAttribute("formaction")) || form.action;
    carrier.hidden = true;
    function add(name, value) {
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = name;
      input.value = value;
      carrier.appendChild(input);
    }
    add("csrfmiddlewaretoken", form.querySelector("[name=csrfmiddlewaretoken]").value);
    add("review_payload", JSON.stringify(pairs));
    var register = form.querySelector("[name=register_unknown]");
    if (register && register.checked) { add("register_unknown", register.value); }
    document.body.appendChild(carrier);
    form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
    carrier.submit();
  });
})();
