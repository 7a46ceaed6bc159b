// Pasting a column (or a block) copied from a spreadsheet into a figure box fills the boxes below it,
// one line per indicator; a second pasted column fills the notes. Without JavaScript each box is typed.
document.addEventListener("paste", function (event) {
  var target = event.target;
  if (!target.classList || !target.classList.contains("cell")) return;
  var text = (event.clipboardData || window.clipboardData).getData("text");
  if (text.indexOf("\n") === -1 && text.indexOf("\t") === -1) return;
  event.preventDefault();
  var lines = text.replace(/\r/g, "").replace(/\n+$/, "").split("\n");
  var cells = Array.prototype.slice.call(document.querySelectorAll("input.cell"));
  var start = cells.indexOf(target);
  lines.forEach(function (line, offset) {
    var cell = cells[start + offset];
    if (!cell) return;
    var columns = line.split("\t");
    cell.value = columns[0].trim();
    var note = cell.closest("tr").querySelector("input.cell-note");
    if (note && columns.length > 1) note.value = columns[1].trim();
  });
});
