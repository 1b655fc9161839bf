// A Web Test Runner plugin that gives browser tests the real Kafka: started on the first command
// (a run without Kafka tests starts no JVM), stopped when the test server stops.
// From a test: `const { restUrl, clusterId } = await executeServerCommand('kafka-start',
// { topics: ['clicks'], partitions: 3 })`, then `kafka-read-all` {topic}, `kafka-inject` (a
// fault of faults.mjs), `kafka-requests` (the produce requests the proxy saw).
import { startCluster } from './cluster.mjs';

export function kafkaPlugin() {
  /** @type {ReturnType<typeof startCluster> | undefined} */
  let starting;
  const cluster = () => {
    if (!starting) throw new Error('kafka-start first');
    return starting;
  };
  return {
    name: 'kafka',
    async executeCommand({ command, payload }) {
      if (command === 'kafka-start') {
        starting ??= startCluster();
        const started = await starting;
        if (payload?.topics) await started.createTopics(payload.topics, payload.partitions ?? 1);
        const { bootstrap, restUrl, clusterId } = started;
        return { bootstrap, restUrl, clusterId };
      }
      if (command === 'kafka-read-all') return (await cluster()).readAll(payload.topic);
      if (command === 'kafka-inject') {
        (await cluster()).inject(payload);
        return true;
      }
      if (command === 'kafka-requests') return (await cluster()).requests;
      return undefined;
    },
    async serverStop() {
      await (await starting)?.stop();
    },
  };
}
