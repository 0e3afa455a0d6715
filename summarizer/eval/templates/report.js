(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("report-data").textContent);
  var flagged = new Set(data.flagged);
  var box = document.getElementById("only-flagged");
  var shown = document.getElementById("shown");
  function update() {
    var count = 0;
    document.querySelectorAll("section.example").forEach(function (section) {
      var hide = box.checked && !flagged.has(section.getAttribute("data-id"));
      section.classList.toggle("hidden", hide);
      if (!hide) { count += 1; }
    });
    shown.textContent = count + " of " + data.ids.length + " shown";
  }
  box.addEventListener("change", update);
  update();
})();
