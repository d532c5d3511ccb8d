//! The chat's stylesheet, scoped by the Shadow DOM. Colours follow the site's accent
//! (`--accent`); logical properties keep right-to-left pages correct.

/// The CSS.
pub const CSS: &str = "\
.chat{display:flex;flex-direction:column;height:100%;--accent:#4f46e5}\
.head{display:flex;align-items:center;justify-content:space-between;padding:12px 16px;background:var(--accent);color:#fff}\
.name{font-weight:600}\
.close{background:none;border:0;color:#fff;font-size:24px;line-height:1;cursor:pointer;padding:0 4px}\
.log{flex:1;overflow-y:auto;padding:16px;display:flex;flex-direction:column;gap:8px}\
.msg{margin:0;padding:8px 12px;border-radius:14px;max-width:85%;white-space:pre-wrap;overflow-wrap:anywhere}\
.bot{background:#f3f4f6;align-self:flex-start}\
.me{background:var(--accent);color:#fff;align-self:flex-end}\
.typing span{display:inline-block;width:6px;height:6px;margin-inline-end:3px;border-radius:50%;background:#9ca3af;animation:b 1s infinite}\
.typing span:nth-child(2){animation-delay:.2s}.typing span:nth-child(3){animation-delay:.4s}\
@keyframes b{50%{opacity:.3}}\
@media (prefers-reduced-motion:reduce){.typing span{animation:none}}\
.input{padding:12px 16px;border-top:1px solid #e5e7eb}\
.choices{display:flex;flex-wrap:wrap;gap:8px}\
.slots{max-height:45vh;overflow-y:auto}\
.day{margin:4px 0;font-size:13px;font-weight:600;color:#374151}\
.times{display:grid;grid-template-columns:repeat(3,1fr);gap:6px;margin-block-end:8px}\
.more{margin-block-start:4px}\
.choice,.slot,.more,.email button{font:inherit;padding:8px 12px;border-radius:10px;border:1px solid var(--accent);background:#fff;color:var(--accent);cursor:pointer}\
.choice:hover,.slot:hover,.email button{background:var(--accent);color:#fff}\
button:focus-visible,input:focus-visible{outline:3px solid #a5b4fc;outline-offset:1px}\
.note{margin:0;color:#4b5563}\
.email label{display:block;font-size:13px;margin-block-end:4px}\
.email .row{display:flex;gap:8px}\
.email input{flex:1;font:inherit;padding:8px 10px;border:1px solid #d1d5db;border-radius:10px;min-width:0}\
.email input[aria-invalid=true]{border-color:#b91c1c}\
.error{margin:6px 0 0;color:#b91c1c;font-size:13px;min-height:1em}";
