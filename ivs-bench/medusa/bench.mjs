// Checked reservations, contended, on Medusa v2: the workload of IVS's bench scenario
// "checked reservations, contended" (ivs-bench ReservationScenarios), run against Medusa's
// Inventory Module under its Locking Module, in this process, on the database of run.sh.
//
// A reservation is what cart completion does for a line item: core-flows' reserveInventoryStep,
// which takes the Locking Module's lock on the inventory item ids and, inside it, calls the
// Inventory Module's createReservationItems (which refuses when the level's available quantity
// is short, as allow_backorder is false). By default the real step runs inside a one-step
// workflow (MEDUSA_BENCH_PATH=workflow); MEDUSA_BENCH_PATH=service makes the same two calls
// directly, without the workflow engine.
import { createRequire } from "node:module"
import os from "node:os"
import { boot, lockingProvider, MEDUSA_VERSION, Modules, poolConfig } from "./medusa.mjs"

const require = createRequire(import.meta.url)
const { createWorkflow, WorkflowResponse } = require("@medusajs/framework/workflows-sdk")
const { reserveInventoryStep } = require("@medusajs/core-flows")
const { MathBN } = require("@medusajs/framework/utils")

function intEnv(name, fallback) {
  const raw = process.env[name]
  if (raw === undefined || raw === "") {
    return fallback
  }
  const value = Number(raw)
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`${name} must be a non-negative integer, not ${raw}`)
  }
  return value
}

const SECONDS = intEnv("MEDUSA_BENCH_SECONDS", 30)
const WARMUP_SECONDS = intEnv("MEDUSA_BENCH_WARMUP_SECONDS", 5)
const CLIENTS = Math.max(1, intEnv("MEDUSA_BENCH_CLIENTS", 64))
const HOT = Math.max(1, intEnv("MEDUSA_BENCH_HOT_ITEMS", 4))
const STOCK = intEnv("MEDUSA_BENCH_STOCK", 1_000_000)
const EXHAUSTION_STOCK = intEnv("MEDUSA_BENCH_EXHAUSTION_STOCK", 500)
const EXHAUSTION_MAX_SECONDS = 300
const PATH = process.env.MEDUSA_BENCH_PATH ?? "workflow"
if (PATH !== "workflow" && PATH !== "service") {
  throw new Error(`MEDUSA_BENCH_PATH must be workflow or service, not ${PATH}`)
}
const LOCATION = "sloc_ivs_bench"

const medusa = await boot()
const { container, inventory, locking, pgConnection } = medusa

const reserveWorkflow = createWorkflow("ivs-bench-reserve-inventory", (input) => {
  const reservations = reserveInventoryStep(input)
  return new WorkflowResponse(reservations)
})

/** One line item of quantity 1 for an inventory item, as complete-cart prepares it. */
function lineItem(lineItemId, inventoryItemId) {
  return {
    id: lineItemId,
    inventory_item_id: inventoryItemId,
    required_quantity: 1,
    allow_backorder: false,
    quantity: 1,
    location_ids: [LOCATION],
  }
}

/** The body of reserveInventoryStep, for MEDUSA_BENCH_PATH=service. */
async function reserveDirect(items) {
  const inventoryItemIds = []
  const toCreate = items.map((item) => {
    inventoryItemIds.push(item.inventory_item_id)
    return {
      line_item_id: item.id,
      inventory_item_id: item.inventory_item_id,
      quantity: MathBN.mult(item.required_quantity, item.quantity),
      allow_backorder: item.allow_backorder,
      location_id: item.location_ids[0],
    }
  })
  const keys = Array.from(new Set(inventoryItemIds))
  return await locking.execute(keys, async () => {
    return await inventory.createReservationItems(toCreate)
  })
}

/** "ok", "refused" (not enough stock, as Medusa says it) or throws. */
async function reserve(lineItemId, inventoryItemId) {
  const items = [lineItem(lineItemId, inventoryItemId)]
  try {
    if (PATH === "workflow") {
      const { result } = await reserveWorkflow(container).run({ input: { items } })
      if (!Array.isArray(result) || result.length !== 1) {
        throw new Error(`reserveInventoryStep answered ${JSON.stringify(result)}`)
      }
    } else {
      const created = await reserveDirect(items)
      if (!Array.isArray(created) || created.length !== 1) {
        throw new Error(`createReservationItems answered ${JSON.stringify(created)}`)
      }
    }
    return "ok"
  } catch (error) {
    if (/Not enough stock available/.test(String(error?.message))) {
      return "refused"
    }
    throw error
  }
}

const RUN_ID = Date.now().toString(36)

async function stockItems(prefix, quantity) {
  const items = await inventory.createInventoryItems(
    Array.from({ length: HOT }, (_, i) => ({
      sku: `ivs-bench-${RUN_ID}-${prefix}${i}`,
      title: `IVS bench ${prefix}${i}`,
    }))
  )
  await inventory.createInventoryLevels(
    items.map((item) => ({
      inventory_item_id: item.id,
      location_id: LOCATION,
      stocked_quantity: quantity,
    }))
  )
  return items.map((item) => item.id)
}

/** The p-th fraction's latency (nearest rank) of sorted milliseconds. */
function percentile(sorted, p) {
  if (!sorted.length) {
    return null
  }
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))
  return Math.round(sorted[rank] * 100) / 100
}

/** A small deterministic generator, one draw per (worker, sequence), like IVS's bench. */
function pick(worker, sequence, n) {
  let t = (worker * 1_000_003 + sequence * 7_919 + 0x6d2b79f5) >>> 0
  t = Math.imul(t ^ (t >>> 15), t | 1)
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
  return ((t ^ (t >>> 14)) >>> 0) % n
}

/**
 * A closed loop as IVS's Load: each client runs reservations back to back; only those that
 * start inside the measured window count; a client stops at the window's end or after
 * opsMax reservations.
 */
async function load({ clients, warmUpMs, measureMs, opsMax, choose, lineItemPrefix }) {
  const start = performance.now()
  const measureStart = start + warmUpMs
  const measureEnd = measureStart + measureMs
  const latencies = []
  const granted = new Array(HOT).fill(0)
  let ok = 0
  let refused = 0
  let errors = 0
  let lastEnd = measureStart
  const firstErrors = []
  async function client(worker) {
    for (let sequence = 0; sequence < opsMax; sequence++) {
      const begin = performance.now()
      if (begin >= measureEnd) {
        break
      }
      const p = choose(worker, sequence)
      let outcome
      try {
        outcome = await reserve(`${lineItemPrefix}_${worker}_${sequence}`, p.id)
      } catch (error) {
        outcome = "error"
        if (firstErrors.length < 5) {
          firstErrors.push(String(error?.message ?? error).slice(0, 300))
        }
      }
      const end = performance.now()
      if (outcome === "ok") {
        granted[p.index]++
      }
      if (begin >= measureStart) {
        latencies.push(end - begin)
        lastEnd = Math.max(lastEnd, end)
        if (outcome === "ok") ok++
        else if (outcome === "refused") refused++
        else errors++
      }
    }
  }
  await Promise.all(Array.from({ length: clients }, (_, w) => client(w)))
  const windowEnd = Math.min(measureEnd, lastEnd)
  const seconds = Math.max(windowEnd - measureStart, 0.001) / 1000
  latencies.sort((a, b) => a - b)
  return {
    ok,
    refused,
    errors,
    seconds,
    granted,
    firstErrors,
    p50ms: percentile(latencies, 0.5),
    p99ms: percentile(latencies, 0.99),
    p999ms: percentile(latencies, 0.999),
    maxms: latencies.length ? Math.round(latencies[latencies.length - 1] * 100) / 100 : null,
  }
}

/** What the database holds per level: reserved_quantity, stock, and the reservation rows. */
async function held(itemIds) {
  const { rows } = await pgConnection.raw(
    `select l.inventory_item_id, l.stocked_quantity::numeric as stocked,
            l.reserved_quantity::numeric as reserved,
            (select count(*) from reservation_item r
              where r.inventory_item_id = l.inventory_item_id and r.location_id = l.location_id
                and r.deleted_at is null) as rows,
            (select coalesce(sum(r.quantity), 0) from reservation_item r
              where r.inventory_item_id = l.inventory_item_id and r.location_id = l.location_id
                and r.deleted_at is null)::numeric as row_quantity
       from inventory_level l
      where l.inventory_item_id = any(?) and l.location_id = ? and l.deleted_at is null`,
    [itemIds, LOCATION]
  )
  return itemIds.map((id) => {
    const row = rows.find((r) => r.inventory_item_id === id)
    return {
      inventoryItemId: id,
      stocked: Number(row.stocked),
      reservedQuantity: Number(row.reserved),
      reservationRows: Number(row.rows),
      reservationRowQuantity: Number(row.row_quantity),
    }
  })
}

function lockingDescription() {
  const id = locking.defaultProviderId
  let klass = "?"
  try {
    klass = locking.providerService_.retrieveProviderRegistration(id).constructor.name
  } catch {}
  return { configured: lockingProvider(), providerId: id, providerClass: klass }
}

/** Advisory locks held or awaited right now, to show that locking-postgres is in use. */
async function advisoryLocks() {
  const { rows } = await pgConnection.raw(
    `select count(*) filter (where granted) as held, count(*) filter (where not granted) as waiting
       from pg_locks where locktype = 'advisory'`
  )
  return { held: Number(rows[0].held), waiting: Number(rows[0].waiting) }
}

const loadBefore = os.loadavg().map((l) => Math.round(l * 100) / 100)
const lockInfo = lockingDescription()
console.log(
  `medusa-v2 bench: @medusajs/inventory ${MEDUSA_VERSION}, path ${PATH} ` +
    `(core-flows reserveInventoryStep${PATH === "workflow" ? " in a workflow" : " body, called directly"}), ` +
    `locking provider ${lockInfo.providerId} (${lockInfo.providerClass}), pool ${JSON.stringify(poolConfig())}`
)

// Throughput: HOT items, STOCK each, CLIENTS clients, warm-up then SECONDS measured.
const hotIds = await stockItems("H", STOCK)
const hot = hotIds.map((id, index) => ({ id, index }))
let lockSample = null
const sampler = setTimeout(async () => {
  try {
    lockSample = await advisoryLocks()
  } catch (error) {
    lockSample = { error: String(error?.message ?? error) }
  }
}, (WARMUP_SECONDS + SECONDS / 2) * 1000)
const run = await load({
  clients: CLIENTS,
  warmUpMs: WARMUP_SECONDS * 1000,
  measureMs: SECONDS * 1000,
  opsMax: Number.MAX_SAFE_INTEGER,
  choose: (worker, sequence) => hot[pick(worker, sequence, HOT)],
  lineItemPrefix: "li_h",
})
clearTimeout(sampler)
const hotHeld = await held(hotIds)
let throughputMismatch = 0
hotHeld.forEach((level, p) => {
  throughputMismatch += Math.abs(level.reservedQuantity - run.granted[p])
  throughputMismatch += Math.abs(level.reservationRowQuantity - run.granted[p])
})
const reservationsPerSecond = Math.round((run.ok / run.seconds) * 10) / 10

// Exhaustion: HOT items x EXHAUSTION_STOCK, demand twice the stock, from CLIENTS clients.
const xIds = await stockItems("X", EXHAUSTION_STOCK)
const xs = xIds.map((id, index) => ({ id, index }))
const demand = 2 * EXHAUSTION_STOCK * HOT
const perClient = Math.ceil(demand / CLIENTS)
const exhaust = await load({
  clients: CLIENTS,
  warmUpMs: 0,
  measureMs: EXHAUSTION_MAX_SECONDS * 1000,
  opsMax: perClient,
  choose: (worker, sequence) => xs[(worker + sequence) % HOT],
  lineItemPrefix: "li_x",
})
const xHeld = await held(xIds)
let grantedBeyondStock = 0
let heldBeyondStock = 0
let levelMismatch = 0
xHeld.forEach((level, p) => {
  grantedBeyondStock += Math.max(0, exhaust.granted[p] - EXHAUSTION_STOCK)
  heldBeyondStock += Math.max(0, level.reservationRowQuantity - EXHAUSTION_STOCK)
  levelMismatch += Math.abs(level.reservedQuantity - level.reservationRowQuantity)
  levelMismatch += Math.abs(level.reservationRows - exhaust.granted[p])
})
const oversold = Math.max(grantedBeyondStock, heldBeyondStock)
const exhaustRate =
  Math.round(((exhaust.ok + exhaust.refused + exhaust.errors) / exhaust.seconds) * 10) / 10

const loadAfter = os.loadavg().map((l) => Math.round(l * 100) / 100)
console.log("")
console.log(`machine: ${os.cpus().length} cores; load average (1, 5, 15 min) ${loadBefore.join(", ")} before, ${loadAfter.join(", ")} after`)
console.log(`checked reservations, contended: ${HOT} hot items x ${STOCK} at one location, ${CLIENTS} clients`)
console.log(`  measured ${run.seconds.toFixed(1)} s after ${WARMUP_SECONDS} s warm-up`)
console.log(`  reservations: ${run.ok} (${reservationsPerSecond}/s), refused: ${run.refused}, errors: ${run.errors}`)
console.log(`  latency ms: p50 ${run.p50ms}, p99 ${run.p99ms}, p99.9 ${run.p999ms}, max ${run.maxms}`)
console.log(`  advisory locks mid-run: ${JSON.stringify(lockSample)}`)
console.log(`  levels vs grants (all reservations, warm-up included): mismatch ${throughputMismatch}`)
for (const level of hotHeld) {
  console.log(`    ${level.inventoryItemId}: reserved_quantity ${level.reservedQuantity}, reservation rows ${level.reservationRows}`)
}
if (run.firstErrors.length) {
  console.log(`  first errors: ${run.firstErrors.join(" | ")}`)
}
console.log(`exhaustion: ${HOT} items x ${EXHAUSTION_STOCK} in stock, demand ${demand} (${perClient * CLIENTS} requests from ${CLIENTS} clients)`)
console.log(`  granted ${exhaust.ok}, refused ${exhaust.refused}, errors ${exhaust.errors}, in ${exhaust.seconds.toFixed(1)} s (${exhaustRate} requests/s; latency ms p50 ${exhaust.p50ms}, p99 ${exhaust.p99ms})`)
console.log(`  oversold: ${oversold} (granted beyond stock ${grantedBeyondStock}, held beyond stock ${heldBeyondStock}); reserved_quantity vs rows vs grants mismatch: ${levelMismatch}`)
for (const [p, level] of xHeld.entries()) {
  console.log(`    ${level.inventoryItemId}: stocked ${level.stocked}, granted ${exhaust.granted[p]}, reserved_quantity ${level.reservedQuantity}, reservation rows ${level.reservationRows}`)
}
if (exhaust.firstErrors.length) {
  console.log(`  first errors: ${exhaust.firstErrors.join(" | ")}`)
}

const summary = {
  system: "medusa-v2",
  version: MEDUSA_VERSION,
  path: PATH === "workflow" ? "core-flows reserveInventoryStep in a workflow" : "locking.execute + inventory.createReservationItems",
  locking: lockInfo.configured,
  lockingProvider: lockInfo.providerId,
  pool: poolConfig(),
  clients: CLIENTS,
  hotItems: HOT,
  seconds: Math.round(run.seconds * 100) / 100,
  warmUpSeconds: WARMUP_SECONDS,
  reservations: run.ok,
  reservationsPerSecond,
  refused: run.refused,
  p50ms: run.p50ms,
  p99ms: run.p99ms,
  errors: run.errors,
  levelMismatch: throughputMismatch,
  cores: os.cpus().length,
  loadAverageBefore: loadBefore,
  loadAverageAfter: loadAfter,
  exhaustion: {
    stock: EXHAUSTION_STOCK * HOT,
    demand,
    requests: perClient * CLIENTS,
    granted: exhaust.ok,
    refused: exhaust.refused,
    errors: exhaust.errors,
    oversold,
    levelMismatch,
    seconds: Math.round(exhaust.seconds * 100) / 100,
    requestsPerSecond: exhaustRate,
    p50ms: exhaust.p50ms,
    p99ms: exhaust.p99ms,
    levels: xHeld.map((level, p) => ({
      stocked: level.stocked,
      granted: exhaust.granted[p],
      reservedQuantity: level.reservedQuantity,
      reservationRows: level.reservationRows,
    })),
  },
}
await medusa.shutdown().catch(() => {})
console.log(JSON.stringify(summary))
process.exit(0)
