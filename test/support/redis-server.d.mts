export function redisServerAvailable(): boolean;
export function startRedisServer(): Promise<{ url: string; port: number; pid: number; stop: () => Promise<void> }>;
