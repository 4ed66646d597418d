// Drag-and-drop upload with live progress of each file through the pipeline.
(function () {
  const form = document.getElementById("upload");
  if (!form) return;
  const input = form.querySelector("input[type=file]");
  const body = document.querySelector("#jobs tbody");
  const csrf = form.querySelector("[name=csrfmiddlewaretoken]").value;
  const pending = new Set();

  function row(job) {
    let tr = body.querySelector(`tr[data-job="${job.id}"]`);
    if (!tr) {
      tr = document.createElement("tr");
      if (job.id) tr.dataset.job = job.id;
      body.prepend(tr);
      const empty = body.querySelector(".empty-row");
      if (empty) empty.remove();
    }
    tr.dataset.status = job.status;
    tr.innerHTML = "<td></td><td><span></span></td><td class=muted></td>";
    const name = tr.children[0];
    if (job.document_url) {
      const a = document.createElement("a");
      a.href = job.document_url; a.textContent = job.name; name.append(a);
    } else name.textContent = job.name;
    const pill = tr.querySelector("span");
    pill.className = "pill st-" + job.status;
    pill.textContent = job.status_label || "Lỗi";
    tr.children[2].textContent = job.message || "";
  }

  async function send(files) {
    if (!files.length) return;
    const data = new FormData();
    for (const f of files) data.append("files", f);
    data.append("direction", form.querySelector("[name=direction]").value);
    for (const f of files) row({ name: f.name, status: "queued", status_label: "Đang tải lên…" });
    const res = await fetch(form.action, {
      method: "POST", body: data,
      headers: { "X-CSRFToken": csrf, Accept: "application/json" },
    });
    body.querySelectorAll("tr:not([data-job])").forEach((tr) => tr.remove());
    const answer = await res.json();
    if (!res.ok) { alert(answer.detail || "Tải lên không thành công"); return; }
    for (const job of answer.jobs) {
      row(job);
      if (job.status === "queued" || job.status === "running") pending.add(job.id);
    }
    poll();
  }

  async function poll() {
    if (!pending.size) return;
    const res = await fetch(`${form.action}trang-thai/?ids=${[...pending].join(",")}`);
    const answer = await res.json();
    for (const job of answer.jobs) {
      row(job);
      if (job.status !== "queued" && job.status !== "running") pending.delete(job.id);
    }
    if (pending.size) setTimeout(poll, 800);
  }

  input.addEventListener("change", () => send(input.files));
  ["dragenter", "dragover"].forEach((e) => form.addEventListener(e, (ev) => {
    ev.preventDefault(); form.classList.add("over");
  }));
  ["dragleave", "drop"].forEach((e) => form.addEventListener(e, (ev) => {
    ev.preventDefault(); form.classList.remove("over");
  }));
  form.addEventListener("drop", (ev) => send(ev.dataTransfer.files));
  body.querySelectorAll("tr[data-job]").forEach((tr) => {
    if (tr.dataset.status === "queued" || tr.dataset.status === "running") pending.add(+tr.dataset.job);
  });
  poll();
})();

// Small page behaviours, here rather than in inline handlers (the pages' CSP runs no inline
// script): a choice marked data-autosubmit sends its form; a feed address is selected on click.
document.querySelectorAll("select[data-autosubmit]").forEach((select) => {
  select.addEventListener("change", () => select.form.submit());
});
document.querySelectorAll("input.feed").forEach((input) => {
  input.addEventListener("click", () => input.select());
});
