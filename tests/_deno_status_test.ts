import assert from "node:assert/strict";
import { programStderr } from "./_deno_status.ts";

Deno.test("programStderr() drops the lock and download lines Deno prints and keeps the program's", () => {
  const program = "error: Cannot copy into the source\nhint: point 'target:' at another database\n";
  const cases = [
    "Blocking waiting for file lock on node_modules directory\n",
    "\x1b[0m\x1b[36mBlocking\x1b[0m waiting for file lock on package cache\n",
    "Download https://registry.npmjs.org/zod\n",
    "\x1b[0m\x1b[32mDownload\x1b[0m http://127.0.0.1:4545/@privaci/cli/meta.json\n",
    "Initialize npm:postgres@3.4.9\n",
  ];
  for (const status of cases) assert.equal(programStderr(status + program), program, JSON.stringify(status));
  assert.equal(programStderr(""), "");
  assert.equal(programStderr(program), program);
  // Lines that only start like a status line are the program's.
  const lookalike = "Blocking the table: it has no primary key\nDownload failed\n";
  assert.equal(programStderr(lookalike), lookalike);
});
