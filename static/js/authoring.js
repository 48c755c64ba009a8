// Guided report form: conditional questions, judgement labels by progress state, autosave.
// Works without it: the server prunes inapplicable answers and "Salva bozza" saves on demand.
(function () {
  "use strict";
  var form = document.getElementById("report-form");
  if (!form) { return; }

  function valueOf(key) {
    var inputs = form.querySelectorAll('[name="q_' + key + '"]');
    for (var i = 0; i < inputs.length; i++) {
      var el = inputs[i];
      if (el.disabled) { continue; }
      if (el.type === "radio") { if (el.checked) { return el.value; } }
      else if (el.type === "checkbox") { return el.checked ? "true" : "false"; }
      else { return el.value; }
    }
    return null;
  }

  function applyConditions() {
    form.querySelectorAll("div[data-condition]").forEach(function (box) {
      var holds = box.dataset.condition.split(";").some(function (part) {
        var pair = part.split("=");
        var v = valueOf(pair[0]);
        return v !== null && pair[1].split(",").indexOf(v) !== -1;
      });
      box.hidden = !holds;
      box.querySelectorAll("input, textarea, select").forEach(function (el) { el.disabled = !holds; });
    });
  }

  var variants = JSON.parse((document.getElementById("gs-variants") || {}).textContent || "{}");
  function applyVariants() {
    var progress = valueOf("stato_di_avanzamento");
    Object.keys(variants).forEach(function (name) {
      form.querySelectorAll('input[name="' + name + '"]').forEach(function (radio) {
        var label = form.querySelector('label[for="' + radio.id + '"]');
        var text = (variants[name][radio.value] || {})[progress];
        if (label && text) { label.lastChild.textContent = " " + text; }
      });
    });
  }

  var status = document.getElementById("autosave-status");
  var dirty = false, stopped = false, timer = null;
  function setLock(value) {
    document.querySelectorAll('input[name="lock_version"]').forEach(function (el) { el.value = value; });
  }
  function autosave() {
    if (!dirty || stopped) { return; }
    dirty = false;
    fetch(form.dataset.autosaveUrl, {
      method: "POST", body: new FormData(form), credentials: "same-origin",
      headers: {"HX-Request": "true"}
    }).then(function (response) {
      return response.text().then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        var lock = doc.querySelector('input[name="lock_version"]');
        var msg = doc.getElementById("autosave-status");
        if (msg && status) { status.textContent = msg.textContent; }
        if (response.ok && lock) { setLock(lock.value); }
        if (response.status === 409) {
          stopped = true;
          if (status) { status.textContent = status.textContent + " — " + "Il report è stato modificato altrove: salva con il pulsante per vedere il messaggio (le tue modifiche restano nel modulo)."; }
        }
      });
    }).catch(function () { dirty = true; });
  }
  form.addEventListener("input", function () { dirty = true; });
  form.addEventListener("change", function () {
    dirty = true; applyConditions(); applyVariants();
    clearTimeout(timer); timer = setTimeout(autosave, 1500);
  });
  setInterval(autosave, (parseInt(form.dataset.autosaveSeconds, 10) || 30) * 1000);
  applyConditions();
  applyVariants();
})();
