//! The chat's stylesheet, scoped by the Shadow DOM. The widget hands it to the loader, which
//! adopts it as a constructable stylesheet (`adoptedStyleSheets`), so the chat needs no
//! `'unsafe-inline'` in the host page's Content-Security-Policy. Colours follow the site's
//! accent (`--c`, set by the loader from the branding); logical properties keep right-to-left
//! pages correct.

/// The CSS.
pub const CSS: &str = "\
.chat{display:flex;flex-direction:column;height:100%}\
.chat:focus{outline:0}\
.head{display:flex;align-items:center;justify-content:space-between;gap:8px;padding:12px 16px;background:var(--c);color:var(--o)}\
.who{display:flex;align-items:center;gap:8px;min-width:0}\
.avatar{width:28px;height:28px;border-radius:50%;object-fit:cover;flex:none}\
.name{font-weight:600;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}\
.tools{display:flex;align-items:center;gap:4px;flex:none}\
.restart,.close{background:none;border:0;color:inherit;cursor:pointer;border-radius:6px}\
.restart{font:inherit;font-size:13px;padding:4px 8px}\
.close{font-size:24px;line-height:1;padding:0 6px}\
.restart:hover,.close:hover{background:rgba(255,255,255,.15)}\
.log{flex:1;overflow-y:auto;padding:16px;display:flex;flex-direction:column;gap:8px}\
.msg{margin:0;padding:8px 12px;border-radius:14px;max-width:85%;white-space:pre-wrap;overflow-wrap:anywhere}\
.bot{background:rgba(128,128,128,.14);align-self:flex-start}\
.me{background:var(--c);color:var(--o);align-self:flex-end}\
.typing span{display:inline-block;width:6px;height:6px;margin-inline-end:3px;border-radius:50%;background:#9ca3af;animation:b 1s infinite}\
.typing span:nth-child(2){animation-delay:.2s}.typing span:nth-child(3){animation-delay:.4s}\
@keyframes b{50%{opacity:.3}}\
@media (prefers-reduced-motion:reduce){.typing span{animation:none}}\
.input{padding:12px 16px;border-top:1px solid rgba(128,128,128,.25)}\
.choices{display:flex;flex-wrap:wrap;gap:8px}\
.slots{max-height:45vh;overflow-y:auto}\
.day{margin:4px 0;font-size:13px;font-weight:600}\
.times{display:grid;grid-template-columns:repeat(3,1fr);gap:6px;margin-block-end:8px}\
.more{margin-block-start:4px}\
.choice,.slot,.more,.email button{font:inherit;padding:8px 12px;border-radius:10px;border:1px solid var(--c);background:var(--g);color:var(--c);cursor:pointer}\
.choice:hover,.slot:hover,.email button{background:var(--c);color:var(--o)}\
button:focus-visible,input:focus-visible{outline:3px solid #a5b4fc;outline-offset:1px}\
.note{margin:0;opacity:.8}\
.offline{margin:0;padding:6px 16px;font-size:13px;background:#fef3c7;color:#78350f}.offline:empty{display:none}\
.privacy{display:block;margin-block-start:8px;font-size:12px;color:inherit;opacity:.7}.privacy[hidden]{display:none}\
.email label{display:block;font-size:13px;margin-block-end:4px}\
.email .row{display:flex;gap:8px}\
.email input{flex:1;font:inherit;color:inherit;background:var(--g);padding:8px 10px;border:1px solid rgba(128,128,128,.5);border-radius:10px;min-width:0}\
.email input[aria-invalid=true]{border-color:#b91c1c}\
.error{margin:6px 0 0;color:#b91c1c;font-size:13px;min-height:1em}";
