// Offline validation of AntqPlatform's deployment files; run by deploy/validate-manifests.sh, which renders the
// kustomizations first. Usage:
//   node validate.mjs --rendered NAME=FILE [--rendered NAME=FILE ...] --compose FILE --schemas DIR
// Exits 0 when everything is valid, 1 with one line per problem ("<where>: <what>") otherwise.
//
// What is checked, and with what:
//  1. Every rendered Kubernetes object against a schema. Built-in kinds: kubernetes-models (the Kubernetes OpenAPI
//     schemas compiled to validators: types, required fields, enums, formats), plus unknown fields, found through the
//     package's TypeScript declarations (see unknownFields). CloudNativePG kinds (types and unknown fields likewise): @kubernetes-models/cloudnative-pg (generated from the operator's
//     CRDs). RabbitmqCluster: our own minimal schema, deploy/k8s/schemas/rabbitmqcluster.schema.json (no package
//     ships one; its $comment says what it checks). An object of any other kind is an error: nothing goes unchecked.
//  2. The platform's own rules on the rendered objects (see platformChecks).
//  3. docker-compose.yml against the Compose Specification's JSON schema (the copy dclint ships, from the
//     compose-spec project), with YAML anchors and merge keys resolved as Compose does, and the platform's services.
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import YAML from "yaml";
import Ajv from "ajv";

const require = createRequire(import.meta.url);

const SERVICES = ["identity", "plan", "reporting", "classification", "notification"];
const PROCESSES = [...SERVICES, "portal", "gateway"];

const problems = [];
const problem = (where, what) => problems.push(`${where}: ${what}`);

// ------------------------------------------------------------------ arguments
const args = { rendered: [], compose: null, schemas: null };
for (let i = 2; i < process.argv.length; i++) {
  const a = process.argv[i];
  if (a === "--rendered") {
    const [name, file] = process.argv[++i].split("=");
    args.rendered.push({ name, file });
  } else if (a === "--compose") args.compose = process.argv[++i];
  else if (a === "--schemas") args.schemas = process.argv[++i];
  else {
    console.error(`unknown argument ${a}`);
    process.exit(2);
  }
}

// ------------------------------------------------------------------ schemas
const ajv = new Ajv({ strict: false, allErrors: true });
const ajvErrors = (errors) =>
  (errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message}${e.params?.additionalProperty ? ` (${e.params.additionalProperty})` : ""}${e.params?.allowedValues ? ` (${e.params.allowedValues.join(", ")})` : ""}`);

const ownSchemas = {};
if (args.schemas) {
  for (const file of fs.readdirSync(args.schemas).filter((f) => f.endsWith(".schema.json"))) {
    const schema = JSON.parse(fs.readFileSync(path.join(args.schemas, file), "utf8"));
    const kind = schema.properties?.kind?.const;
    const apiVersion = schema.properties?.apiVersion?.const;
    if (kind && apiVersion) ownSchemas[`${apiVersion}/${kind}`] = { file, validate: ajv.compile(schema) };
  }
}

function modelFor(apiVersion, kind) {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  const candidates = [];
  if (group === "postgresql.cnpg.io") candidates.push(`@kubernetes-models/cloudnative-pg/${group}/${version}`);
  else if (!group.includes(".") || group.endsWith(".k8s.io")) candidates.push(group ? `kubernetes-models/${group}/${version}` : `kubernetes-models/${version}`);
  for (const module of candidates) {
    try {
      const Model = require(module)[kind];
      if (Model) {
        Model.declarations = path.join(NODE_MODULES, module, `${kind}.d.ts`);
        return Model;
      }
    } catch {
      /* not a known group/version */
    }
  }
  return null;
}

// Unknown fields. The compiled validators accept any extra field, as the API server does without strict field
// validation, so a misspelt field would be silently dropped. The packages' TypeScript declarations list each type's
// fields: walk the object along them and report a field that its type does not declare. Only named types are followed
// (maps such as labels, and types declared inline, are not looked into), so this never reports a field that exists.
const NODE_MODULES = path.join(path.dirname(new URL(import.meta.url).pathname), "node_modules");
const declarations = new Map();
// A type's fields: Map(field -> a .d.ts file of a named type | a nested Map for a type declared inline | null).
function declaredFields(file) {
  if (declarations.has(file)) return declarations.get(file);
  let result = null;
  if (fs.existsSync(file)) {
    const text = fs.readFileSync(file, "utf8");
    const imports = new Map();
    for (const m of text.matchAll(/^import \{ ([^}]+) \} from "([^"]+)";$/gm))
      for (const name of m[1].split(",").map((n) => n.trim())) {
        const target = m[2].startsWith(".") ? path.join(path.dirname(file), m[2]) : path.join(NODE_MODULES, m[2]);
        imports.set(name, `${target}.d.ts`);
      }
    const lines = text.split("\n").filter((l) => !/^\s*(\/\*\*|\*)/.test(l));
    const first = lines.findIndex((l) => /^export interface I\w+/.test(l));
    if (first >= 0) {
      [result] = parseBlock(lines, first + 1, "    ", imports);
      if (/ extends TypeMeta/.test(lines[first])) ["apiVersion", "kind"].forEach((f) => result.set(f, null));
    }
  }
  declarations.set(file, result);
  return result;
}
// Parses the fields at one indentation until the block's closing brace; returns [fields or null for a map, next line].
function parseBlock(lines, i, indent, imports) {
  const fields = new Map();
  let isMap = false;
  for (; i < lines.length; i++) {
    const line = lines[i];
    if (!line.startsWith(indent)) return [isMap ? null : fields, i];
    if (line.startsWith(`${indent}[key: string]`)) isMap = true;
    const m = line.slice(indent.length).match(/^"([^"]+)"\??: (.*)$/);
    if (!m) continue;
    const type = m[2].replace(/;$/, "").replace(/^Array<(.+)>$/, "$1");
    if (/\{$/.test(m[2])) {
      const [nested, next] = parseBlock(lines, i + 1, `${indent}    `, imports);
      fields.set(m[1], m[2] === "{" || m[2] === "Array<{" ? nested : null);
      i = next; // the closing line
    } else fields.set(m[1], /^I\w+$/.test(type) && imports.has(type) ? imports.get(type) : null);
  }
  return [isMap ? null : fields, i];
}
function unknownFields(where, value, type, at = "") {
  if (Array.isArray(value)) return value.forEach((v, i) => unknownFields(where, v, type, `${at}/${i}`));
  if (!value || typeof value !== "object" || !type) return;
  const fields = type instanceof Map ? type : declaredFields(type);
  if (!fields) return;
  const typeName = typeof type === "string" ? path.basename(type, ".d.ts") : "the schema";
  for (const [k, v] of Object.entries(value)) {
    if (!fields.has(k)) problem(where, `${at || "/"}: unknown field "${k}" (${typeName} has no such field)`);
    else unknownFields(where, v, fields.get(k), `${at}/${k}`);
  }
}

function validateObject(where, obj) {
  const own = ownSchemas[`${obj.apiVersion}/${obj.kind}`];
  if (own) {
    if (!own.validate(obj)) ajvErrors(own.validate.errors).forEach((e) => problem(where, `${e} [schema ${own.file}]`));
    return;
  }
  const Model = modelFor(obj.apiVersion, obj.kind);
  if (!Model) {
    problem(where, `no schema for ${obj.apiVersion} ${obj.kind}: add one under deploy/k8s/schemas/ or use a known kind`);
    return;
  }
  if (Model.declarations) unknownFields(where, obj, Model.declarations);
  try {
    new Model(obj).validate();
  } catch (e) {
    const lines = (e.errors ? ajvErrors(e.errors) : [e.message]).filter((l) => l.trim());
    lines.forEach((l) => problem(where, l));
  }
}

// ------------------------------------------------------------------ platform rules (Kubernetes)
const key = (o) => `${o.kind}/${o.metadata?.name}`;
const matches = (selector, labels) => selector && Object.entries(selector).every(([k, v]) => labels?.[k] === v);
// A LabelSelector (matchLabels and matchExpressions) against a pod's labels; {} selects every pod.
const selects = (selector, labels) => !!selector
  && Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels?.[k] === v)
  && (selector.matchExpressions ?? []).every((e) =>
    e.operator === "In" ? (e.values ?? []).includes(labels?.[e.key])
      : e.operator === "NotIn" ? !(e.values ?? []).includes(labels?.[e.key])
        : e.operator === "Exists" ? labels?.[e.key] !== undefined
          : e.operator === "DoesNotExist" ? labels?.[e.key] === undefined : false);
// Namespaces a policy may let in besides the gateway's callers: the cluster's Prometheus and the operators.
const TRUSTED_NAMESPACES = ["monitoring", "cnpg-system", "rabbitmq-system"];

function platformChecks(name, objects) {
  const byKind = (kind) => objects.filter((o) => o.kind === kind);
  const find = (kind, n) => objects.find((o) => o.kind === kind && o.metadata?.name === n);
  const deployments = byKind("Deployment");
  const where = (o) => `${name}: ${key(o)}`;

  // Secrets that the operators create, and those a production cluster provides from its secret store.
  const external = new Set(["antq-pg-app", "antq-rabbitmq-default-user", "antq-identity", "antq-smtp", "antq-backup-s3", "antq-tls"]);
  const secretExists = (n) => external.has(n) || !!find("Secret", n);

  for (const p of PROCESSES) {
    const d = find("Deployment", `antq-${p}`);
    if (!d) problem(name, `Deployment antq-${p} is missing`);
    if (!find("Service", `antq-${p}`)) problem(name, `Service antq-${p} is missing`);
    if (!find("PodDisruptionBudget", `antq-${p}`)) problem(name, `PodDisruptionBudget antq-${p} is missing`);
  }
  for (const s of SERVICES) {
    const hpa = find("HorizontalPodAutoscaler", `antq-${s}`);
    if (!hpa) problem(name, `HorizontalPodAutoscaler antq-${s} is missing`);
    const d = find("Deployment", `antq-${s}`);
    const env = d?.spec?.template?.spec?.containers?.[0]?.env ?? [];
    if (d && !env.some((e) => e.name === `ConnectionStrings__${s}`)) problem(where(d), `no ConnectionStrings__${s}`);
    if (d && !env.some((e) => e.name === "ConnectionStrings__rabbitmq")) problem(where(d), "no ConnectionStrings__rabbitmq");
  }

  for (const d of deployments) {
    const pod = d.spec?.template?.spec ?? {};
    const labels = d.spec?.template?.metadata?.labels;
    if (!matches(d.spec?.selector?.matchLabels, labels)) problem(where(d), "spec.selector does not match the pod template's labels");
    const volumes = new Set((pod.volumes ?? []).map((v) => v.name));
    for (const v of pod.volumes ?? []) {
      if (v.secret && !secretExists(v.secret.secretName)) problem(where(d), `volume ${v.name}: Secret ${v.secret.secretName} is not defined`);
      if (v.configMap && !find("ConfigMap", v.configMap.name)) problem(where(d), `volume ${v.name}: ConfigMap ${v.configMap.name} is not defined`);
    }
    for (const c of pod.containers ?? []) {
      const cw = `${where(d)} container ${c.name}`;
      const sc = c.securityContext ?? {};
      if (!c.readinessProbe) problem(cw, "no readinessProbe");
      if (!c.livenessProbe) problem(cw, "no livenessProbe");
      if (!c.resources?.requests?.cpu || !c.resources?.requests?.memory) problem(cw, "no cpu/memory requests");
      if (!c.resources?.limits?.memory) problem(cw, "no memory limit");
      if (!(sc.runAsNonRoot ?? pod.securityContext?.runAsNonRoot)) problem(cw, "runAsNonRoot is not set");
      if (sc.allowPrivilegeEscalation !== false) problem(cw, "allowPrivilegeEscalation must be false");
      if (sc.readOnlyRootFilesystem !== true) problem(cw, "readOnlyRootFilesystem must be true");
      if (!c.image || /:latest$/.test(c.image) && name !== "base") problem(cw, `image ${c.image} is not pinned to a version`);
      for (const m of c.volumeMounts ?? []) if (!volumes.has(m.name)) problem(cw, `volumeMount ${m.name} names no volume`);
      for (const e of c.envFrom ?? []) {
        if (e.configMapRef && !find("ConfigMap", e.configMapRef.name)) problem(cw, `envFrom: ConfigMap ${e.configMapRef.name} is not defined`);
        if (e.secretRef && !secretExists(e.secretRef.name)) problem(cw, `envFrom: Secret ${e.secretRef.name} is not defined`);
      }
      for (const e of c.env ?? []) {
        const cm = e.valueFrom?.configMapKeyRef;
        if (cm) {
          const map = find("ConfigMap", cm.name);
          if (!map) problem(cw, `env ${e.name}: ConfigMap ${cm.name} is not defined`);
          else if (!(cm.key in (map.data ?? {})) && !cm.optional) problem(cw, `env ${e.name}: ConfigMap ${cm.name} has no key ${cm.key}`);
        }
        const sk = e.valueFrom?.secretKeyRef;
        if (sk && !secretExists(sk.name)) problem(cw, `env ${e.name}: Secret ${sk.name} is not defined`);
      }
      const ports = new Set((c.ports ?? []).map((p) => p.name));
      for (const probe of [c.readinessProbe, c.livenessProbe, c.startupProbe]) {
        const port = probe?.httpGet?.port;
        if (typeof port === "string" && !ports.has(port)) problem(cw, `probe port ${port} is not a named container port`);
      }
    }
    const isApp = PROCESSES.some((p) => d.metadata.name === `antq-${p}`);
    if (isApp) {
      const c = pod.containers?.[0];
      if (c?.readinessProbe?.httpGet?.path !== "/health/ready" && !["antq-portal", "antq-gateway"].includes(d.metadata.name)) problem(where(d), "readinessProbe must be GET /health/ready");
      if (c?.livenessProbe?.httpGet?.path !== "/health/live") problem(where(d), "livenessProbe must be GET /health/live");
    }
  }

  // Several replicas of every process (the portal too, now that its replicas share keys and sessions).
  for (const p of PROCESSES) {
    const d = find("Deployment", `antq-${p}`);
    if (d && (d.spec?.replicas ?? 1) < 2) problem(where(d), `${d.spec?.replicas ?? 1} replica: every process runs at least 2`);
  }
  // NetworkPolicies: nothing enters unless let in; only the gateway from outside the namespace; each process's egress
  // confined (a policy with Egress selects it).
  const policies = byKind("NetworkPolicy");
  if (!policies.some((n) => Object.keys(n.spec?.podSelector ?? { x: 1 }).length === 0 && (n.spec?.policyTypes ?? []).includes("Ingress") && !(n.spec?.ingress ?? []).length))
    problem(name, "no default-deny NetworkPolicy (podSelector {}, policyTypes [Ingress], no ingress rule)");
  for (const n of policies) {
    const outside = (n.spec?.ingress ?? []).some((r) => (r.from ?? [{}]).some((f) => f.ipBlock
      || (f.namespaceSelector && !TRUSTED_NAMESPACES.includes(f.namespaceSelector.matchLabels?.["kubernetes.io/metadata.name"]))));
    if (!outside) continue;
    for (const p of PROCESSES.filter((p) => p !== "gateway")) {
      const d = find("Deployment", `antq-${p}`);
      if (d && selects(n.spec.podSelector, d.spec?.template?.metadata?.labels)) problem(where(n), `lets traffic from outside the namespace into antq-${p}: only the gateway is reachable from outside`);
    }
  }
  for (const p of PROCESSES) {
    const d = find("Deployment", `antq-${p}`);
    if (d && !policies.some((n) => (n.spec?.policyTypes ?? []).includes("Egress") && selects(n.spec?.podSelector, d.spec?.template?.metadata?.labels)))
      problem(where(d), "no NetworkPolicy confines its egress");
  }

  for (const s of byKind("Service")) {
    const sel = s.spec?.selector;
    if (sel && !deployments.some((d) => matches(sel, d.spec?.template?.metadata?.labels)) && !s.metadata.name.startsWith("antq-pg") && !s.metadata.name.startsWith("antq-rabbitmq"))
      problem(where(s), "selector matches no Deployment's pods");
    for (const p of s.spec?.ports ?? []) {
      if (typeof p.targetPort !== "string") continue;
      const d = deployments.find((d) => matches(sel, d.spec?.template?.metadata?.labels));
      if (d && !d.spec.template.spec.containers.some((c) => (c.ports ?? []).some((cp) => cp.name === p.targetPort))) problem(where(s), `targetPort ${p.targetPort} is no named port of ${key(d)}`);
    }
  }
  for (const p of byKind("PodDisruptionBudget")) {
    const d = deployments.find((d) => matches(p.spec?.selector?.matchLabels, d.spec?.template?.metadata?.labels));
    if (!d) problem(where(p), "selector matches no Deployment's pods");
    else if (typeof p.spec.minAvailable === "number" && p.spec.minAvailable >= (d.spec.replicas ?? 1))
      problem(where(p), `minAvailable ${p.spec.minAvailable} with ${d.spec.replicas ?? 1} replicas blocks every voluntary eviction`);
  }
  for (const h of byKind("HorizontalPodAutoscaler")) {
    const t = h.spec?.scaleTargetRef;
    if (!find(t?.kind, t?.name)) problem(where(h), `scaleTargetRef ${t?.kind}/${t?.name} is not defined`);
    if (h.spec.minReplicas > h.spec.maxReplicas) problem(where(h), "minReplicas is above maxReplicas");
  }
  for (const i of byKind("Ingress")) {
    if (!(i.spec?.tls ?? []).length) problem(where(i), "no TLS: the ingress must terminate TLS");
    for (const r of i.spec?.rules ?? [])
      for (const p of r.http?.paths ?? []) {
        const svc = p.backend?.service?.name;
        if (!find("Service", svc)) problem(where(i), `backend Service ${svc} is not defined`);
      }
  }

  const rabbit = byKind("RabbitmqCluster");
  if (rabbit.length !== 1) problem(name, `expected one RabbitmqCluster, found ${rabbit.length}`);
  for (const r of rabbit) {
    if (r.spec?.replicas !== 3) problem(where(r), "must have 3 replicas (quorum queues need a majority of an odd number)");
    const conf = r.spec?.rabbitmq?.additionalConfig ?? "";
    if (!/^\s*default_queue_type\s*=\s*quorum\s*$/m.test(conf)) problem(where(r), "additionalConfig must set default_queue_type = quorum");
    if (!/^\s*default_vhost\s*=\s*antq\s*$/m.test(conf)) problem(where(r), "additionalConfig must set default_vhost = antq (the services' virtual host)");
  }
  const clusters = byKind("Cluster").filter((o) => o.apiVersion.startsWith("postgresql.cnpg.io/"));
  if (clusters.length !== 1) problem(name, `expected one CloudNativePG Cluster, found ${clusters.length}`);
  for (const c of clusters) {
    if (c.spec?.instances !== 3) problem(where(c), "must have 3 instances");
    const init = c.spec?.bootstrap?.initdb ?? {};
    const sql = [init.database ? `CREATE DATABASE ${init.database}` : "", ...(init.postInitSQL ?? [])].join("\n");
    const databaseResources = byKind("Database").map((d) => d.spec?.name);
    for (const s of [...SERVICES, "portal"])
      if (!new RegExp(`CREATE DATABASE antq_${s}\\b`).test(sql) && !databaseResources.includes(`antq_${s}`)) problem(where(c), `no database antq_${s}`);
    if (name === "production") {
      const store = c.spec?.backup?.barmanObjectStore;
      if (!store?.destinationPath) problem(where(c), "production needs backups: spec.backup.barmanObjectStore.destinationPath");
      if (!store?.wal) problem(where(c), "production needs WAL archiving: spec.backup.barmanObjectStore.wal");
      if (!byKind("ScheduledBackup").some((b) => b.spec?.cluster?.name === c.metadata.name)) problem(where(c), "production needs a ScheduledBackup of this cluster");
    }
  }
  if (!find("Deployment", "antq-otel-collector")) problem(name, "Deployment antq-otel-collector is missing");
  if (!byKind("Ingress").some((i) => JSON.stringify(i.spec).includes('"antq-gateway"'))) problem(name, "no Ingress routes to antq-gateway");
}

// ------------------------------------------------------------------ Kubernetes
for (const { name, file } of args.rendered) {
  const text = fs.readFileSync(file, "utf8");
  const docs = YAML.parseAllDocuments(text);
  const objects = [];
  docs.forEach((doc, i) => {
    if (doc.errors.length) {
      doc.errors.forEach((e) => problem(`${name}: document ${i + 1}`, `YAML: ${e.message}`));
      return;
    }
    const obj = doc.toJS();
    if (obj == null) return;
    if (!obj.apiVersion || !obj.kind || !obj.metadata?.name) {
      problem(`${name}: document ${i + 1}`, "apiVersion, kind and metadata.name are required");
      return;
    }
    objects.push(obj);
  });
  for (const obj of objects) validateObject(`${name}: ${key(obj)}`, obj);
  platformChecks(name, objects);
  console.log(`${name}: ${objects.length} objects checked (${[...new Set(objects.map((o) => o.kind))].sort().join(", ")})`);
}

// ------------------------------------------------------------------ Compose
if (args.compose) {
  const where = `compose ${path.basename(args.compose)}`;
  const schemaFile = path.join(path.dirname(new URL(import.meta.url).pathname), "node_modules/dclint/schemas/compose.schema.json");
  const schema = JSON.parse(fs.readFileSync(schemaFile, "utf8"));
  delete schema.$schema; // draft-07, which ajv knows; its $schema URL spelling is not one of ajv's keys
  const validateCompose = ajv.compile(schema);
  const doc = YAML.parseDocument(fs.readFileSync(args.compose, "utf8"), { merge: true });
  if (doc.errors.length) doc.errors.forEach((e) => problem(where, `YAML: ${e.message}`));
  else {
    const compose = doc.toJS({ maxAliasCount: -1 });
    if (!validateCompose(compose)) ajvErrors(validateCompose.errors).forEach((e) => problem(where, `${e} [Compose Specification schema]`));
    const services = compose?.services ?? {};
    for (const s of [...PROCESSES, "postgres", "rabbitmq"]) if (!services[s]) problem(where, `service ${s} is missing`);
    for (const [n, s] of Object.entries(services)) {
      const deps = s.depends_on ?? {};
      for (const dep of Array.isArray(deps) ? deps : Object.keys(deps))
        if (!services[dep]) problem(where, `${n} depends on ${dep}, which is not defined`);
      if (!Array.isArray(deps))
        for (const [dep, d] of Object.entries(deps)) if (d?.condition === "service_healthy" && services[dep] && !services[dep].healthcheck) problem(where, `${n} waits for ${dep} to be healthy, but ${dep} has no healthcheck`);
    }
    for (const p of PROCESSES) {
      const s = services[p];
      if (!s) continue;
      if (!s.healthcheck) problem(where, `${p} has no healthcheck`);
      if (!s.build?.args?.PROJECT) problem(where, `${p} is not built from deploy/docker/Dockerfile with a PROJECT`);
      if (!(s.depends_on && Object.keys(s.depends_on).length)) problem(where, `${p} has no depends_on`);
    }
    for (const s of SERVICES) {
      const env = services[s]?.environment ?? {};
      if (services[s] && !(`ConnectionStrings__${s}` in env)) problem(where, `${s} has no ConnectionStrings__${s}`);
      const deps = services[s]?.depends_on ?? {};
      for (const infra of ["postgres", "rabbitmq"]) if (services[s] && deps[infra]?.condition !== "service_healthy") problem(where, `${s} must wait for ${infra} to be healthy`);
    }
    if (services.postgres && !JSON.stringify(services.postgres.volumes ?? []).includes("docker-entrypoint-initdb.d")) problem(where, "postgres has no init script creating the databases");
    console.log(`${where}: ${Object.keys(services).length} services checked against the Compose Specification schema`);
  }
}

if (problems.length) {
  console.error(`\nINVALID: ${problems.length} problem(s):`);
  for (const p of problems) console.error(`  ${p}`);
  process.exit(1);
}
console.log("all manifests valid");
