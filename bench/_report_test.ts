import assert from "node:assert/strict";
import { figures, formatTable, median, type Sample, scenarioResult } from "./_report.ts";

const data = {
  tables: {
    customers: { rows: 1000, copyBytes: 2_000_000 },
    orders: { rows: 2000, copyBytes: 1_000_000 },
    support_tickets: { rows: 100, copyBytes: 500_000 },
  },
  ticketWords: 9000,
};

function sample(round: number, total: number, c: number, o: number, t: number, peakRss?: number): Sample {
  return {
    round,
    total,
    ms: { customers: c, orders: o, support_tickets: t },
    ...(peakRss ? { peakRss } : {}),
  };
}

Deno.test("median() takes the middle value, or the mean of the two middle ones", () => {
  assert.equal(median([5, 1, 3]), 3);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.throws(
    () => median([]),
    RangeError,
    "Cannot take the median as the list is empty: current value is 0",
  );
});

Deno.test("figures() gives rates from medians and ratios to the pipe of the same round", () => {
  const pipe = [sample(1, 3000, 1000, 1000, 1000), sample(2, 6000, 2000, 2000, 2000)];
  // Round 1 privaci is half the pipe's speed, round 2 as fast: the median ratio is 0.75.
  const runs = [sample(1, 6000, 2000, 2000, 2000), sample(2, 6000, 2000, 2000, 2000)];
  const f = figures("text_scrub", runs, pipe, data);
  const customers = f.find((x) => x.part === "customers")!;
  assert.deepEqual(customers, {
    part: "customers",
    medianMs: 2000,
    rowsPerSecond: 500,
    mbPerSecond: 1,
    ratioToPipe: 0.75,
  });
  const tickets = f.find((x) => x.part === "support_tickets")!;
  assert.equal(tickets.wordsPerSecond, 4500);
  const total = f.find((x) => x.part === "total")!;
  assert.equal(total.rowsPerSecond, 3100 / 6);
  assert.equal(total.mbPerSecond, 3.5 / 6);
  assert.equal(total.ratioToPipe, 0.75);
});

Deno.test("figures() gives the pipe no ratio and pairs rounds by number, not position", () => {
  const pipe = [sample(2, 1000, 100, 100, 100), sample(1, 4000, 400, 400, 400)];
  assert.equal(figures("pipe", pipe, pipe, data)[0].ratioToPipe, null);
  const runs = [sample(1, 8000, 800, 800, 800)];
  assert.equal(figures("keep_all", runs, pipe, data).find((x) => x.part === "total")!.ratioToPipe, 0.5);
});

Deno.test("formatTable() prints the masked table's line, and peak RSS and set-up time on the total line", () => {
  const pipe = [sample(1, 3000, 1000, 1000, 1000)];
  const runs = [{ ...sample(1, 6000, 2000, 2000, 2000, 200 * 2 ** 20), startupMs: 700, overheadMs: 550 }];
  const text = formatTable([scenarioResult("level1", "cheap", runs, pipe, data)]);
  const lines = text.split("\n");
  assert.equal(lines.length, 4);
  assert.match(lines[2], /^level1 +cheap +customers +2\.00 +500 +1\.0 +0\.50$/);
  assert.match(lines[3], /^level1 +cheap +total +6\.00 +517 +0\.6 +0\.50 +200 MiB +1\.25$/);
});
