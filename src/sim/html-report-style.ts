/**
 * The report's style sheet, inlined in its <head> so the file needs nothing else. Dark ink on
 * white, figures in tabular digits, and a print layout that keeps each table and chart on one page.
 */
export const REPORT_CSS = `
:root { --ink: #1f2933; --muted: #52606d; --line: #d9dee4; --band: #f5f7fa; --accent: #0a6bb3; --head: #102a43; --bad: #b42318; --good: #146c43; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; color: var(--ink); background: #ffffff; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
a { color: var(--accent); }
a:focus-visible { outline: 3px solid #f59e0b; outline-offset: 2px; border-radius: 2px; }
.skip { position: absolute; left: -9999px; top: 0; background: #ffffff; padding: 8px 12px; }
.skip:focus { left: 12px; top: 12px; z-index: 1; }
header.masthead { background: var(--head); color: #ffffff; padding: 28px 0 22px; }
.wrap { max-width: 1080px; margin: 0 auto; padding: 0 28px; }
.kicker { margin: 0; font-size: 13px; letter-spacing: 0.08em; text-transform: uppercase; color: #bcccdc; }
h1 { margin: 4px 0 16px; font-size: 28px; line-height: 1.2; font-weight: 650; overflow-wrap: anywhere; }
.facts { display: grid; grid-template-columns: repeat(auto-fill, minmax(230px, 1fr)); gap: 10px 28px; margin: 0; }
.facts div { min-width: 0; }
.facts dt { font-size: 12px; text-transform: uppercase; letter-spacing: 0.06em; color: #bcccdc; }
.facts dd { margin: 2px 0 0; font-weight: 550; overflow-wrap: anywhere; font-variant-numeric: tabular-nums; }
nav.toc { border-bottom: 1px solid var(--line); background: var(--band); }
nav.toc ol { list-style: none; display: flex; flex-wrap: wrap; gap: 4px 22px; margin: 0; padding: 12px 0; font-size: 14px; }
main { padding: 8px 0 40px; }
section { padding-top: 18px; border-top: 1px solid var(--line); margin-top: 28px; }
section:first-of-type { border-top: 0; margin-top: 8px; }
h2 { font-size: 21px; margin: 0 0 6px; color: var(--head); }
h3 { font-size: 16px; margin: 22px 0 6px; color: var(--head); }
p.lead { margin: 0 0 14px; color: var(--muted); max-width: 80ch; }
.tiles { display: grid; grid-template-columns: repeat(auto-fill, minmax(235px, 1fr)); gap: 14px; margin: 14px 0 4px; padding: 0; list-style: none; }
.tile { border: 1px solid var(--line); border-left: 4px solid var(--accent); border-radius: 6px; padding: 12px 14px; background: #ffffff; }
.tile .label { font-size: 13px; color: var(--muted); }
.tile .value { font-size: 26px; font-weight: 650; font-variant-numeric: tabular-nums; line-height: 1.25; }
.tile .note { font-size: 13px; color: var(--muted); }
.table-wrap { overflow-x: auto; margin: 8px 0 6px; }
table { border-collapse: collapse; width: 100%; font-size: 14px; font-variant-numeric: tabular-nums; }
caption { text-align: left; font-weight: 600; padding: 0 0 6px; color: var(--head); }
th, td { padding: 7px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
thead th { background: var(--band); font-size: 12.5px; font-weight: 650; color: var(--ink); text-align: right; border-bottom: 2px solid #bcc4ce; }
thead th:first-child, tbody th { text-align: left; }
tbody th { font-weight: 600; }
tbody th .code { display: block; font: 12px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; color: var(--muted); font-weight: 400; }
td { text-align: right; white-space: nowrap; }
td.text { text-align: left; white-space: normal; }
tr.real th, tr.real td { background: #fbfcfd; color: var(--muted); }
.unit { color: var(--muted); font-weight: 400; }
.good { color: var(--good); font-weight: 600; }
.bad { color: var(--bad); font-weight: 600; }
figure { margin: 18px 0 8px; }
figure svg { width: 100%; height: auto; display: block; border: 1px solid var(--line); border-radius: 6px; }
figcaption { font-size: 13.5px; color: var(--muted); margin-top: 6px; max-width: 80ch; }
.charts-2 { display: grid; grid-template-columns: repeat(auto-fit, minmax(480px, 1fr)); gap: 0 24px; }
details { margin: 8px 0; }
summary { cursor: pointer; color: var(--accent); font-weight: 600; }
summary:focus-visible { outline: 3px solid #f59e0b; outline-offset: 2px; }
dl.defs { display: grid; grid-template-columns: max-content 1fr; gap: 6px 18px; font-size: 14px; }
dl.defs dt { font-weight: 600; }
dl.defs dd { margin: 0; color: var(--muted); }
footer { border-top: 1px solid var(--line); padding: 16px 0 28px; font-size: 13px; color: var(--muted); }
@media print {
  body { font-size: 11pt; }
  header.masthead, nav.toc, .tile, thead th, tr.real th, tr.real td { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
  nav.toc, .skip { display: none; }
  section { break-inside: auto; }
  figure, table, .tiles { break-inside: avoid; }
  h2, h3 { break-after: avoid; }
  details { display: block; }
  a { color: inherit; text-decoration: none; }
  @page { margin: 14mm; }
}
`;
