/**
 * Jest setup: the API retry backoff (shared/retry.ts) a tenth of production's, so that tests of
 * retries against the sandbox's 500s and dropped connections wait for what a retry does without
 * waiting seconds. The number of tries, the deadline and the Retry-After cap stay production's.
 */
import { DEFAULT_RETRY_POLICY } from '../../nodes/shared/retry';

DEFAULT_RETRY_POLICY.baseDelayMs /= 10;
