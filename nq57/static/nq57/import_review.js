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
  // The row being worked on: the last task card that had the focus (or was jumped to).
  var activeRow = null;
  var picking = null;  // "lead" / "coordinating" while waiting for a click on a highlighted name
  var status = document.getElementById("source-status");
  var kept = {text: "", row: null};  // the last selection made inside the source pane
  document.querySelectorAll(".task-card").forEach(function (card) {
    card.addEventListener("focusin", function () { activeRow = card.dataset.row; });
  });
  function say(text) { if (status) { status.textContent = text; } }
  function rowLabel(row) {
    var path = document.querySelector("#task-" + row + " .path");
    return path ? path.textContent.trim() : String(Number(row) + 1);
  }
  function addName(row, role, name) {
    name = (name || "").replace(/\s+/g, " ").trim().replace(/[,;:.]+$/, "");
    var field = document.getElementById("id_task-" + row + "-" + role);
    if (!field || !name) { return false; }
    var names = field.value.split(/[\n;]/).map(function (n) { return n.trim(); }).filter(Boolean);
    if (names.some(function (n) { return n.toLowerCase() === name.toLowerCase(); })) { return true; }
    names.push(name);
    field.value = names.join("\n");
    field.dispatchEvent(new Event("change", {bubbles: true}));
    say("Đã thêm “" + name + "” làm " + (role === "lead" ? "cơ quan chủ trì" : "cơ quan phối hợp") +
        " của nhiệm vụ " + rowLabel(row) + ". Bấm “Cập nhật xem trước” để kiểm tra.");
    return true;
  }
  function rowBefore(node) {
    // the task whose anchor is the last one before ``node`` in the source
    var row = null;
    source.querySelectorAll(".src-anchor").forEach(function (anchor) {
      if (anchor.compareDocumentPosition(node) & Node.DOCUMENT_POSITION_FOLLOWING) {
        row = anchor.id.replace("src-", "");
      }
    });
    return row;
  }
  document.addEventListener("selectionchange", function () {
    var selection = window.getSelection();
    if (!selection || selection.isCollapsed || !selection.rangeCount) { return; }
    var range = selection.getRangeAt(0);
    if (!source.contains(range.commonAncestorContainer)) { return; }
    kept = {text: selection.toString(), row: rowBefore(range.startContainer)};
  });
  document.querySelectorAll("[data-role]").forEach(function (button) {
    button.addEventListener("click", function () {
      if (activeRow === null) { say("Hãy bấm vào một nhiệm vụ (cột bên phải) trước."); return; }
      var role = button.dataset.role;
      if (kept.text.trim() && addName(activeRow, role, kept.text)) {
        kept = {text: "", row: null};
        return;
      }
      picking = role;
      source.classList.add("picking");
      say("Bấm vào tên cơ quan được tô màu trong văn bản để thêm làm " +
          (role === "lead" ? "chủ trì" : "phối hợp") + " cho nhiệm vụ " + rowLabel(activeRow) + ".");
    });
  });
  var addButton = document.getElementById("add-from-selection");
  var selectionField = document.getElementById("review-selection");
  if (addButton && selectionField) {
    addButton.addEventListener("click", function () {
      selectionField.value = kept.text;
      addButton.value = "add:" + (kept.row === null ? "" : kept.row);
    });
  }
  var atField = document.getElementById("review-edit-at");
  document.querySelectorAll("[data-split]").forEach(function (button) {
    button.addEventListener("click", function () {
      var text = document.getElementById("id_task-" + button.dataset.split + "-text");
      if (atField && text) { atField.value = text.selectionStart || ""; }
    });
  });
  source.addEventListener("click", function (event) {
    var mark = event.target.closest("mark[data-row]");
    if (picking && activeRow !== null && mark && mark.classList.contains("hl-agency")) {
      addName(activeRow, picking, mark.textContent);
      picking = null;
      source.classList.remove("picking");
      return;
    }
    var card = mark && document.getElementById("task-" + mark.dataset.row);
    if (card) { card.scrollIntoView({block: "start"}); activate(mark.dataset.row); activeRow = mark.dataset.row; }
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
    if (submitter && submitter.name) { pairs.push([submitter.name, submitter.value]); }
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
