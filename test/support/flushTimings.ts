/**
 * Jest setup: the flush's delays (dedupe/flush.ts) a tenth of production's, in the same
 * proportions, so that integration tests wait for what a flush does without waiting seconds.
 * Tests read the delays from `flushTimings`, never restate them.
 */
import { flushTimings } from '../../nodes/WhatsAbleWebhooksTrigger/dedupe/flush';

const SCALE = 10;
flushTimings.settleMs /= SCALE;
flushTimings.flushDelayMs /= SCALE;
flushTimings.confirmDelayMs /= SCALE;
