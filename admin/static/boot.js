// Starts the admin app (kept out of index.html so the page runs under a strict CSP).
import init from "./confab_admin.js";
init({ module_or_path: new URL("confab_admin_bg.wasm", import.meta.url) });
