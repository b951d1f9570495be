// The desk's only script: drag-and-drop onto the upload zone, the check's progress, a live dashboard.
// Every page works without it (a plain file input, pages that refresh themselves).
(function () {
  "use strict";
  var form = document.getElementById("upload");
  if (form) {
    var input = document.getElementById("file");
    var zone = form.querySelector(".zone");
    var chosen = document.getElementById("chosen");
    var show = function () {
      chosen.textContent = input.files.length ? "已选择：" + input.files[0].name : "";
    };
    input.addEventListener("change", show);
    ["dragenter", "dragover"].forEach(function (type) {
      zone.addEventListener(type, function (e) { e.preventDefault(); zone.classList.add("over"); });
    });
    ["dragleave", "drop"].forEach(function (type) {
      zone.addEventListener(type, function (e) { e.preventDefault(); zone.classList.remove("over"); });
    });
    zone.addEventListener("drop", function (e) {
      if (e.dataTransfer && e.dataTransfer.files.length) { input.files = e.dataTransfer.files; show(); }
    });
    form.addEventListener("submit", function () {
      var button = document.getElementById("go");
      button.disabled = true;
      button.textContent = "正在上传…";
    });
  }
  var progress = document.getElementById("progress");
  if (progress) {
    var state = document.getElementById("state");
    var poll = function () {
      fetch(progress.getAttribute("data-status"), {credentials: "same-origin"})
        .then(function (r) { return r.json(); })
        .then(function (p) {
          if (p.state === "done" || p.state === "gone") { window.location.reload(); return; }
          state.textContent = p.state === "queued" ? "排队中，前面还有 " + (p.position - 1) + " 份"
            : "正在读取和检查，已用 " + p.seconds + " 秒（单个文件最长 " + Math.round(p.limit) + " 秒）";
          window.setTimeout(poll, 700);
        })
        .catch(function () { window.setTimeout(poll, 2000); });
    };
    window.setTimeout(poll, 300);
  }
  var live = document.querySelector('meta[name="ogi-live"]');
  if (live) {
    window.setInterval(function () {
      var busy = document.activeElement && ["INPUT", "SELECT"].indexOf(document.activeElement.tagName) >= 0;
      var picked = Array.prototype.some.call(document.querySelectorAll("input[type=file]"),
                                             function (i) { return i.files.length > 0; });
      if (!busy && !picked) { window.location.reload(); }
    }, 1000 * parseInt(live.getAttribute("content"), 10));
  }
})();
