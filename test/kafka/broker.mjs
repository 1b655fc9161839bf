// One Apache Kafka node in KRaft mode (broker and controller in one JVM) on 127.0.0.1: the jars
// from install.sh, a fresh log dir, formatted with `kafka.tools.StorageTool` and started with
// `kafka.Kafka`, as bin/kafka-storage.sh and bin/kafka-server-start.sh would.
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePorts } from './free-port.mjs';
import { jars } from './paths.mjs';

/** Small heap, quick start: one node with a few topics, on a 2-core machine shared with others. */
const JVM_OPTIONS = [
  '-Xms128m',
  '-Xmx512m',
  '-XX:+UseSerialGC',
  '-XX:TieredStopAtLevel=1',
  '-Djava.awt.headless=true',
];

/**
 * A Kafka cluster id: 16 random bytes, base64url without padding, as `Uuid.randomUuid()`; like
 * it, drawn again when it starts with `-`, which `kafka-storage format -t` takes for an option
 * (one id in 64: a CI run failed to format its storage).
 */
function newClusterId() {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

const serverProperties = ({ nodeId, brokerPort, controllerPort, logDir }) => `
process.roles=broker,controller
node.id=${nodeId}
controller.quorum.voters=${nodeId}@127.0.0.1:${controllerPort}
listeners=PLAINTEXT://127.0.0.1:${brokerPort},CONTROLLER://127.0.0.1:${controllerPort}
advertised.listeners=PLAINTEXT://127.0.0.1:${brokerPort}
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=${logDir}
# Topics are created by the test: a produce to an unknown one must fail, as on a real cluster.
auto.create.topics.enable=false
num.partitions=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
`;

/** Warnings and errors only, to the JVM's stdout (a file in the temp dir). */
const LOG4J2 = `
status = warn
appender.console.type = Console
appender.console.name = STDOUT
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = warn
rootLogger.appenderRef.stdout.ref = STDOUT
`;

/**
 * Formats and starts one KRaft node. Resolves once the JVM is spawned (the caller waits for it
 * by a condition, a client connecting); the JVM's output goes to `logFile`.
 * Must: listen on 127.0.0.1 only; keep its data in a temp dir that `stop()` removes; `stop()`
 * ends the JVM (SIGTERM, then SIGKILL if it does not exit) and resolves once it has exited.
 */
export async function startBroker() {
  const dir = mkdtempSync(join(tmpdir(), 'tabstream-kafka-'));
  const [brokerPort, controllerPort] = await freePorts(2);
  const clusterId = newClusterId();
  const config = join(dir, 'server.properties');
  writeFileSync(
    config,
    serverProperties({ nodeId: 1, brokerPort, controllerPort, logDir: join(dir, 'data') }),
  );
  writeFileSync(join(dir, 'log4j2.properties'), LOG4J2);
  const java = (main, args) => [
    ...JVM_OPTIONS,
    `-Dlog4j2.configurationFile=${join(dir, 'log4j2.properties')}`,
    '-cp',
    jars('kafka-libs').join(':'),
    main,
    ...args,
  ];
  await promisify(execFile)(
    'java',
    java('kafka.tools.StorageTool', ['format', '-t', clusterId, '-c', config]),
  );
  const logFile = join(dir, 'kafka.log');
  const out = openSync(logFile, 'a');
  const jvm = spawn('java', java('kafka.Kafka', [config]), { stdio: ['ignore', out, out] });
  const exited = new Promise((resolve) => jvm.once('exit', resolve));

  return {
    bootstrap: `127.0.0.1:${brokerPort}`,
    clusterId,
    pid: jvm.pid,
    exited,
    /** The JVM's log so far: for a failure's message. */
    log: () => readFileSync(logFile, 'utf8'),
    async stop() {
      if (jvm.exitCode === null && jvm.signalCode === null) {
        jvm.kill('SIGTERM');
        // A controlled shutdown is quick for one node; a JVM stuck in it must not outlive the run.
        const killer = setTimeout(() => jvm.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(killer);
      }
      rmSync(dir, { recursive: true, force: true });
    },
    /** Synchronous, for process exit: no waiting possible there. */
    kill() {
      if (jvm.exitCode === null && jvm.signalCode === null) jvm.kill('SIGKILL');
    },
  };
}
