// A throwaway redis-server for benchmarks: on 127.0.0.1, a free port, no persistence, killed if the
// process exits first; and one ioredis client connected to it. Used by the rate-limiter-redis suite and
// bench/experiments/redis-script-cost.mjs. (The tests have their own, @hotpath/test-utils/redis, in
// TypeScript for vitest.)
import { spawn } from 'node:child_process'
import net from 'node:net'
import { Redis } from 'ioredis'

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address()
      srv.close(() => resolve(port))
    })
  })
}

/** Starts the server and connects a client; `stop()` disconnects and waits for the server to exit. */
export async function startRedis({ client = {} } = {}) {
  const port = await freePort()
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no']
  const server = spawn('redis-server', [...args, '--loglevel', 'warning'], { stdio: 'ignore' })
  const exited = new Promise((resolve) => server.once('exit', resolve))
  server.once('error', (err) => {
    console.error(`cannot start redis-server (${err.message}); install it with apt-get install redis-server`)
  })
  process.once('exit', () => server.kill('SIGKILL'))
  const redis = new Redis({ host: '127.0.0.1', port, lazyConnect: true, ...client })
  redis.on('error', () => undefined)
  for (let attempt = 0; ; attempt++) {
    try {
      await redis.connect()
      break
    } catch (err) {
      if (attempt > 100) throw new Error(`redis-server on port ${port} did not start: ${err.message}`)
      await new Promise((r) => setTimeout(r, 50))
    }
  }
  return {
    port,
    redis,
    async stop() {
      redis.disconnect()
      server.kill('SIGTERM')
      await exited
    },
  }
}
