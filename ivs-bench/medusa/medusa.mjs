// Loads Medusa v2's Inventory and Locking modules the way a Medusa application does
// (@medusajs/framework's MedusaAppLoader): one shared knex connection made by
// ModulesSdkUtils.createPgConnection, registered as the container's pg connection, and
// MedusaApp() from @medusajs/framework/modules-sdk bootstrapping the modules on it.
import { createRequire } from "node:module"

const require = createRequire(import.meta.url)
const { MedusaApp, MedusaAppMigrateUp } = require("@medusajs/framework/modules-sdk")
const {
  ContainerRegistrationKeys,
  Modules,
  ModulesSdkUtils,
  createMedusaContainer,
} = require("@medusajs/framework/utils")
const { asValue } = require("@medusajs/framework/awilix")
const { logger } = require("@medusajs/framework/logger")

export const MEDUSA_VERSION = require("@medusajs/inventory/package.json").version
export { Modules }

export function databaseUrl() {
  const url = process.env.MEDUSA_BENCH_DATABASE_URL
  if (!url) {
    throw new Error("MEDUSA_BENCH_DATABASE_URL is not set (run.sh sets it)")
  }
  return url
}

/** "postgres" (the @medusajs/locking-postgres provider, the default) or "in-memory". */
export function lockingProvider() {
  const name = process.env.MEDUSA_BENCH_LOCKING ?? "postgres"
  if (name !== "postgres" && name !== "in-memory") {
    throw new Error(`MEDUSA_BENCH_LOCKING must be postgres or in-memory, not ${name}`)
  }
  return name
}

/**
 * The pool of the shared connection, as medusa-config.ts's databaseDriverOptions.pool sets it.
 * A Medusa application's pgConnectionLoader uses min 2 and knex's default max of 10; but each
 * reservation holds two connections at once (the locking-postgres provider's transaction, which
 * holds the advisory lock, and the Inventory Module's own transaction inside it), so with many
 * concurrent reservations a pool of 10 is filled by lock waiters and the lock holders wait for a
 * connection until knex's 60 s acquire timeout. The bench therefore sizes the pool for its
 * clients (two connections each, plus 8) unless MEDUSA_BENCH_POOL_MAX says otherwise
 * (MEDUSA_BENCH_POOL_MAX=10 shows Medusa's default).
 */
export function poolConfig() {
  const raw = process.env.MEDUSA_BENCH_POOL_MAX
  const clients = Number(process.env.MEDUSA_BENCH_CLIENTS || 64)
  const max = raw ? Number(raw) : 2 * clients + 8
  return { min: 2, max }
}

function modulesConfig() {
  const locking =
    lockingProvider() === "postgres"
      ? {
          resolve: "@medusajs/locking",
          options: {
            providers: [
              {
                resolve: "@medusajs/locking-postgres",
                id: "locking-postgres",
                is_default: true,
              },
            ],
          },
        }
      : { resolve: "@medusajs/locking" }
  return {
    [Modules.INVENTORY]: { resolve: "@medusajs/inventory" },
    [Modules.LOCKING]: locking,
    // A store resolves this one as @medusajs/medusa/link-modules, a re-export of this package.
    [Modules.LINK]: require("@medusajs/link-modules"),
  }
}

function sharedResources() {
  const clientUrl = databaseUrl()
  const pool = poolConfig()
  const pgConnection = ModulesSdkUtils.createPgConnection({
    clientUrl,
    schema: "public",
    pool,
  })
  const injectedDependencies = {
    [ContainerRegistrationKeys.PG_CONNECTION]: pgConnection,
    [ContainerRegistrationKeys.LOGGER]: logger,
  }
  const sharedResourcesConfig = {
    database: { clientUrl, pool, schema: "public", debug: false },
  }
  return { pgConnection, injectedDependencies, sharedResourcesConfig }
}

/** Runs the modules' migrations (and the locking-postgres provider's) as `medusa db:migrate` does. */
export async function migrate() {
  const { pgConnection, injectedDependencies, sharedResourcesConfig } = sharedResources()
  try {
    await MedusaAppMigrateUp({
      modulesConfig: modulesConfig(),
      sharedContainer: createMedusaContainer(),
      sharedResourcesConfig,
      injectedDependencies,
      cwd: process.cwd(),
    })
  } finally {
    await pgConnection.destroy()
  }
}

/** Boots the modules; answers the container (holding both services) and a shutdown. */
export async function boot() {
  const { pgConnection, injectedDependencies, sharedResourcesConfig } = sharedResources()
  const container = createMedusaContainer()
  container.register(ContainerRegistrationKeys.PG_CONNECTION, asValue(pgConnection))
  container.register(ContainerRegistrationKeys.LOGGER, asValue(logger))
  const app = await MedusaApp({
    modulesConfig: modulesConfig(),
    sharedContainer: container,
    sharedResourcesConfig,
    injectedDependencies,
    cwd: process.cwd(),
  })
  await app.onApplicationStart()
  for (const service of Object.values(app.modules)) {
    container.register(service.__definition.key, asValue(service))
  }
  return {
    container,
    pgConnection,
    inventory: container.resolve(Modules.INVENTORY),
    locking: container.resolve(Modules.LOCKING),
    async shutdown() {
      await app.onApplicationPrepareShutdown()
      await app.onApplicationShutdown()
      await pgConnection.destroy().catch(() => {})
    },
  }
}
