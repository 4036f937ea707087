export type { IoRedisLike, NodeRedisClusterLike, NodeRedisLike, RedisClientLike } from './client.js'
export {
  LeaseError,
  type LeaseErrorCode,
  type LeaseOptions,
  leaseKey,
  leaseWorkerId,
  type WorkerLease,
} from './lease.js'
