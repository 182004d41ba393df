/* Agency pickers: a <select data-agency-picker> (single or multiple; see nq57/agencies/widgets.py) becomes a search
   box with the chosen agencies shown as removable chips. Typing filters the options by their folded name
   (data-search: no diacritics, lower case, so "bo khcn", "khoa hoc", "Bộ KH&CN" all match); clicking a result adds or
   removes that one agency and leaves the others chosen. The <select> stays in the form (hidden) and is what is
   submitted, so the page works the same without script. No inline script (Content-Security-Policy). */
(function () {
  var LIMIT = 30;

  function fold(text) {
    return (text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[đĐ]/g, "d")
      .toLowerCase().replace(/\s+/g, " ").trim();
  }

  function optionLabel(option) { return option.textContent.trim(); }

  function enhance(select) {
    if (select.dataset.agencyPickerReady) { return; }
    select.dataset.agencyPickerReady = "1";
    var multiple = select.multiple;
    var box = document.createElement("div");
    box.className = "agency-picker";
    var chips = document.createElement("div");
    chips.className = "agency-picker-chips";
    chips.setAttribute("aria-live", "polite");
    var input = document.createElement("input");
    input.type = "search";
    input.autocomplete = "off";
    input.className = "agency-picker-input";
    input.placeholder = select.dataset.placeholder || "";
    input.setAttribute("aria-label", (select.labels && select.labels[0] ? select.labels[0].textContent + ": " : "") +
      "tìm cơ quan");
    if (select.id) { input.id = select.id + "_search"; }
    var list = document.createElement("ul");
    list.className = "agency-picker-results";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    box.appendChild(chips);
    box.appendChild(input);
    box.appendChild(list);
    select.parentNode.insertBefore(box, select.nextSibling);
    select.hidden = true;
    select.required = false;  // a hidden control cannot show the browser's message; the server's says what is missing
    select.classList.add("agency-picker-select");
    if (select.labels) {
      Array.prototype.forEach.call(select.labels, function (label) { label.htmlFor = input.id || ""; });
    }

    function options() {
      return Array.prototype.filter.call(select.options, function (option) { return option.value !== ""; });
    }

    function renderChips() {
      chips.textContent = "";
      options().filter(function (option) { return option.selected; }).forEach(function (option) {
        var chip = document.createElement("span");
        chip.className = "chip agency-chip";
        chip.dataset.value = option.value;
        var text = document.createElement("span");
        text.className = "agency-chip-label";
        text.textContent = option.dataset.short || optionLabel(option);  // the official short form
        chip.title = optionLabel(option);
        chip.appendChild(text);
        var remove = document.createElement("button");
        remove.type = "button";
        remove.className = "link agency-chip-remove";
        remove.setAttribute("aria-label", "Bỏ chọn " + optionLabel(option));
        remove.textContent = "×";
        remove.addEventListener("click", function () { toggle(option, false); });
        chip.appendChild(remove);
        chips.appendChild(chip);
      });
    }

    function toggle(option, on) {
      if (!multiple) {
        options().forEach(function (other) { other.selected = false; });
        if (!on) {
          var empty = Array.prototype.filter.call(select.options, function (o) { return o.value === ""; })[0];
          if (empty) { empty.selected = true; } else { select.selectedIndex = -1; }
        }
      }
      option.selected = on;
      select.dispatchEvent(new Event("change", { bubbles: true }));
      renderChips();
      if (!multiple && on) { input.value = ""; list.hidden = true; }
      else if (document.activeElement === input) { search(); }  // the list stays open while typing goes on
      else { list.hidden = true; }
    }

    function search() {
      var query = fold(input.value);
      list.textContent = "";
      if (!query) { list.hidden = true; return; }
      var words = query.split(" ");
      var found = options().filter(function (option) {
        var key = option.dataset.search || fold(optionLabel(option));
        return words.every(function (word) { return key.indexOf(word) !== -1; });
      });
      found.slice(0, LIMIT).forEach(function (option) {
        var item = document.createElement("li");
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", option.selected ? "true" : "false");
        item.className = "agency-picker-result" + (option.selected ? " chosen" : "");
        item.dataset.value = option.value;
        item.textContent = (option.selected ? "✓ " : "") + optionLabel(option);
        item.addEventListener("mousedown", function (event) { event.preventDefault(); });
        item.addEventListener("click", function () { toggle(option, !option.selected); });
        list.appendChild(item);
      });
      if (!found.length) {
        var none = document.createElement("li");
        none.className = "agency-picker-none muted";
        none.textContent = "Không tìm thấy cơ quan phù hợp.";
        list.appendChild(none);
      } else if (found.length > LIMIT) {
        var more = document.createElement("li");
        more.className = "agency-picker-none muted";
        more.textContent = "… và " + (found.length - LIMIT) + " cơ quan khác: gõ thêm để thu hẹp.";
        list.appendChild(more);
      }
      list.hidden = false;
    }

    input.addEventListener("input", search);
    input.addEventListener("focus", function () { if (input.value) { search(); } });
    input.addEventListener("blur", function () { list.hidden = true; });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();  // Enter picks the first result instead of submitting the form
        var first = list.querySelector(".agency-picker-result");
        if (first) { first.click(); }
      } else if (event.key === "Escape") {
        input.value = ""; list.hidden = true;
      }
    });
    select.addEventListener("change", renderChips);  // e.g. a kept form filled in again (kept_form.js)
    renderChips();
  }

  function enhanceAll(root) {
    Array.prototype.forEach.call((root || document).querySelectorAll("select[data-agency-picker]"), enhance);
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", function () { enhanceAll(); }); }
  else { enhanceAll(); }
  /* content put in the page later (a form fetched into its box: site.js) */
  document.addEventListener("nq57:content", function (event) { enhanceAll(event.detail && event.detail.root); });
})();
