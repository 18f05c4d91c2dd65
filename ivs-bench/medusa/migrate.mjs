// Runs the Inventory Module's migrations and the locking-postgres provider's on the database.
import { migrate, lockingProvider } from "./medusa.mjs"

await migrate()
console.log(`migrations: inventory module and locking module (${lockingProvider()} provider) up to date`)
process.exit(0)
