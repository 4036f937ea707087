/**
 * Real Redis for the tests that need one: a `redis-server` process (Debian's
 * package) started on 127.0.0.1 with a free port and no persistence, or several
 * joined into a Redis Cluster with `redis-cli --cluster create`. Nothing here is
 * a mock; the only client code is a tiny RESP reader used to wait for readiness,
 * so the helper itself depends on no Redis client library.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import net from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe } from 'vitest'

export interface RedisServer {
  /** `redis://127.0.0.1:PORT` */
  readonly url: string
  readonly host: string
  readonly port: number
  /** The current process id (changes on restart). */
  readonly pid: number
  /** Stops the server (SIGTERM, then SIGKILL after 5 s) and removes its folder. Idempotent. */
  stop(): Promise<void>
  /** Kills the process with `signal` (default SIGKILL) and waits for it to exit. */
  kill(signal?: NodeJS.Signals): Promise<void>
  /** Starts the server again on the same port (after kill, or kills it first). Data is gone. */
  restart(): Promise<void>
  /** SIGSTOP: the server stops answering but keeps its connections (a "slow" Redis). */
  pause(): void
  /** SIGCONT: undo pause(). */
  resume(): void
}

export interface RedisCluster {
  readonly nodes: ReadonlyArray<{ host: string; port: number }>
  readonly servers: readonly RedisServer[]
  stop(): Promise<void>
}

const INSTALL_HINT =
  'redis-server is not on PATH: install it with `apt-get update && apt-get install -y redis-server` (Debian/Ubuntu) or `brew install redis` (macOS)'

function which(cmd: string): string | null {
  try {
    return execFileSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).trim() || null
  } catch {
    return null
  }
}

/** The path of redis-server, or null when it is not installed. */
export const redisServerPath: string | null = which('redis-server')
/** True when redis-server can be started here. */
export const hasRedis: boolean = redisServerPath !== null

let warned = false
/**
 * `describe()` for suites that need a real redis-server. Without one the suite
 * is skipped with one loud line saying how to install it, unless `CI` is set:
 * then it fails, so CI can never pass by not running the Redis tests.
 */
export function describeRedis(name: string, fn: () => void): void {
  if (hasRedis) {
    describe(name, fn)
    return
  }
  if (process.env.CI) {
    describe(name, () => {
      fn()
      throw new Error(`${INSTALL_HINT} (CI is set, so Redis tests may not be skipped)`)
    })
    return
  }
  if (!warned) {
    warned = true
    console.warn(`\n!!! SKIPPING REDIS TESTS: ${INSTALL_HINT} !!!\n`)
  }
  describe.skipIf(true)(name, fn)
}

/** A TCP port that is free on 127.0.0.1 now (and, if asked, so is port + 10000, Redis Cluster's bus port). */
async function freePort(withBus = false): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = withBus ? 20000 + Math.floor(Math.random() * 20000) : await ephemeralPort()
    if (!(await canBind(port))) continue
    if (withBus && !(await canBind(port + 10000))) continue
    return port
  }
  throw new Error('could not find a free port on 127.0.0.1')
}

function ephemeralPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo
      srv.close(() => resolve(port))
    })
  })
}

function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer()
    srv.once('error', () => resolve(false))
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)))
  })
}

type Reply = string | number | null | Error

/**
 * Sends one command over a fresh connection and reads one reply. Enough RESP for
 * PING, CLUSTER INFO and the like (simple, error, integer and bulk replies).
 */
export function redisCommand(
  port: number,
  args: string[],
  timeoutMs = 1000,
  host = '127.0.0.1',
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host, port })
    let buf = Buffer.alloc(0)
    const timer = setTimeout(() => {
      sock.destroy()
      reject(new Error(`redis ${host}:${port} did not answer ${args[0]} within ${timeoutMs} ms`))
    }, timeoutMs)
    const done = (err: Error | null, value?: Reply) => {
      clearTimeout(timer)
      sock.destroy()
      if (err) reject(err)
      else resolve(value ?? null)
    }
    sock.once('error', (err) => done(err))
    sock.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk])
      const eol = buf.indexOf('\r\n')
      if (eol < 0) return
      const type = String.fromCharCode(buf[0] ?? 0)
      const line = buf.subarray(1, eol).toString()
      if (type === '+') return done(null, line)
      if (type === '-') return done(null, new Error(line))
      if (type === ':') return done(null, Number(line))
      if (type === '$') {
        const len = Number(line)
        if (len < 0) return done(null, null)
        if (buf.length < eol + 2 + len + 2) return
        return done(null, buf.subarray(eol + 2, eol + 2 + len).toString())
      }
      return done(new Error(`unexpected RESP reply type ${JSON.stringify(type)}`))
    })
    sock.write(
      args
        .map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`)
        .reduce((acc, a) => acc + a, `*${args.length}\r\n`),
    )
  })
}

async function waitUntil(what: string, deadlineMs: number, probe: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + deadlineMs
  let lastError: unknown
  while (Date.now() < deadline) {
    try {
      if (await probe()) return
    } catch (err) {
      lastError = err
    }
    await new Promise((r) => setTimeout(r, 25))
  }
  throw new Error(`timed out after ${deadlineMs} ms waiting for ${what}${lastError ? `: ${lastError}` : ''}`)
}

const live = new Set<ChildProcess>()
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL')
})

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => child.once('exit', () => resolve()))
}

export interface StartRedisOptions {
  /** Extra redis-server arguments, e.g. ['--cluster-enabled', 'yes']. */
  args?: string[]
  /** Reserve port + 10000 too (Redis Cluster's bus port). */
  clusterBus?: boolean
}

/** Starts a redis-server on 127.0.0.1 with a free port, `--save '' --appendonly no`, and waits until it answers PING. */
export async function startRedis(options: StartRedisOptions = {}): Promise<RedisServer> {
  if (!redisServerPath) throw new Error(INSTALL_HINT)
  const bin = redisServerPath
  const host = '127.0.0.1'
  const port = await freePort(options.clusterBus)
  const dir = mkdtempSync(join(tmpdir(), `hotpath-redis-${port}-`))
  let child!: ChildProcess
  let output = ''
  let stopped = false

  const launch = async () => {
    output = ''
    child = spawn(
      bin,
      [
        '--port',
        String(port),
        '--bind',
        host,
        '--save',
        '',
        '--appendonly',
        'no',
        '--dir',
        dir,
        '--daemonize',
        'no',
        '--loglevel',
        'warning',
        ...(options.args ?? []),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    )
    live.add(child)
    const exit = exited(child).then(() => live.delete(child))
    child.stdout?.on('data', (d) => (output += d))
    child.stderr?.on('data', (d) => (output += d))
    let early = false
    void exit.then(() => (early = true))
    await waitUntil(`redis-server on ${host}:${port}`, 10_000, async () => {
      if (early) throw new Error(`redis-server exited: ${output.trim()}`)
      return (await redisCommand(port, ['PING'], 500)) === 'PONG'
    })
  }

  const kill = async (signal: NodeJS.Signals = 'SIGKILL') => {
    const c = child
    if (c.signalCode === 'SIGSTOP') c.kill('SIGCONT')
    c.kill(signal)
    await exited(c)
  }

  await launch()
  return {
    url: `redis://${host}:${port}`,
    host,
    port,
    get pid() {
      return child.pid ?? -1
    },
    kill,
    async restart() {
      await kill('SIGKILL')
      await launch()
    },
    pause() {
      child.kill('SIGSTOP')
    },
    resume() {
      child.kill('SIGCONT')
    },
    async stop() {
      if (stopped) return
      stopped = true
      child.kill('SIGCONT')
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
      await exited(child)
      clearTimeout(timer)
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/**
 * Starts `masters` (default 3) redis-server nodes in cluster mode and joins them
 * with `redis-cli --cluster create` (no replicas), then waits until every node
 * reports `cluster_state:ok`.
 */
export async function startRedisCluster(options: { masters?: number } = {}): Promise<RedisCluster> {
  const masters = options.masters ?? 3
  if (!Number.isInteger(masters) || masters < 3)
    throw new RangeError(`\`masters\` must be an integer >= 3 (Redis Cluster's minimum), got ${masters}`)
  const redisCli = which('redis-cli')
  if (!redisCli) throw new Error(INSTALL_HINT)
  const servers: RedisServer[] = []
  const stop = async () => {
    await Promise.all(servers.map((s) => s.stop()))
  }
  try {
    for (let i = 0; i < masters; i++) {
      servers.push(
        await startRedis({
          clusterBus: true,
          args: [
            '--cluster-enabled',
            'yes',
            '--cluster-config-file',
            'nodes.conf',
            '--cluster-node-timeout',
            '5000',
          ],
        }),
      )
    }
    execFileSync(
      redisCli,
      [
        '--cluster',
        'create',
        ...servers.map((s) => `${s.host}:${s.port}`),
        '--cluster-replicas',
        '0',
        '--cluster-yes',
      ],
      { stdio: 'pipe', timeout: 30_000 },
    )
    for (const s of servers) {
      await waitUntil(`cluster_state:ok on ${s.port}`, 20_000, async () => {
        const info = await redisCommand(s.port, ['CLUSTER', 'INFO'])
        return typeof info === 'string' && info.includes('cluster_state:ok')
      })
    }
  } catch (err) {
    await stop()
    throw err
  }
  return { nodes: servers.map((s) => ({ host: s.host, port: s.port })), servers, stop }
}
