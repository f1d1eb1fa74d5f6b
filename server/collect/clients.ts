// ConfigService clients per region, credentials from the SDK's default provider chain (env,
// --profile/AWS_PROFILE, SSO, container and instance roles). Every HTTP attempt, retries included,
// passes the rate limiter and is counted here; credentials are never read or printed by us.
import { ConfigServiceClient, type ConfigServiceClientConfig } from '@aws-sdk/client-config-service';
import type { RateLimiter } from './rate-limiter.ts';

export interface ApiCounters {
  /** HTTP attempts per operation. */
  calls: Record<string, number>;
  throttles: number;
  /** Attempts that failed with a 5xx or an unreadable body. */
  serverErrors: number;
}

export interface ClientSettings {
  profile?: string;
  endpointUrl?: string;
  maxAttempts: number;
  /** Label of the account the limiter keys on ("self" for the caller's account, or the aggregator). */
  limiterAccount: string;
}

export function newCounters(): ApiCounters {
  return { calls: {}, throttles: 0, serverErrors: 0 };
}

export function isThrottle(e: unknown): boolean {
  const name = (e as { name?: string } | null)?.name;
  return (
    name === 'ThrottlingException' ||
    name === 'ThrottledException' ||
    name === 'TooManyRequestsException' ||
    name === 'RequestLimitExceeded'
  );
}

export function makeClient(
  region: string,
  settings: ClientSettings,
  limiter: RateLimiter,
  counters: ApiCounters,
): ConfigServiceClient {
  const config: ConfigServiceClientConfig = { region, maxAttempts: settings.maxAttempts, retryMode: 'standard' };
  if (settings.profile) config.profile = settings.profile;
  // The SDK itself honours AWS_ENDPOINT_URL(_CONFIG_SERVICE); an explicit flag wins.
  if (settings.endpointUrl) config.endpoint = settings.endpointUrl;
  const client = new ConfigServiceClient(config);
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const op = String(context.commandName ?? 'unknown').replace(/Command$/, '');
      await limiter.take(settings.limiterAccount, region, op);
      counters.calls[op] = (counters.calls[op] ?? 0) + 1;
      try {
        const out = await next(args);
        limiter.succeeded(settings.limiterAccount, region, op);
        return out;
      } catch (e) {
        if (isThrottle(e)) {
          counters.throttles++;
          limiter.throttled(settings.limiterAccount, region, op);
        } else if (
          ((e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode ?? 0) >= 500 ||
          e instanceof SyntaxError
        ) {
          counters.serverErrors++;
        }
        throw e;
      }
    },
    // Inside the retry middleware (finalizeRequest, high priority), so every attempt is seen.
    { step: 'finalizeRequest', priority: 'low', name: 'configgraphRateAndCount' },
  );
  return client;
}
