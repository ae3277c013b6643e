/** A harness around a real n8n 2.41.1: provision, install the packed package, run, drive over REST. */
export { provision, n8nInstall, REPO_DIR } from './provision';
export type { N8nInstall } from './provision';
export {
	packAndInstall,
	verifyNodesLoad,
	PACKAGE_NAME,
	TRIGGER_TYPE,
	TRIGGER_VERSION,
	ACTION_TYPE,
	CREDENTIAL_TYPE,
} from './install';
export type { Installed } from './install';
export { startN8n, runN8nCli, n8nEnv, encryptionKeyFor, N8nProcess } from './process';
export type { StartOptions, CliResult } from './process';
export { N8nRest, N8nRestError, nodeOutput } from './rest';
export type {
	ExecutionDetail,
	ExecutionSummary,
	Owner,
	PublicationStatus,
	Workflow,
	WorkflowJson,
	WorkflowNode,
} from './rest';
export { Sink } from './sink';
export type { SinkRecord } from './sink';
export { freePort, httpRequest, isPortFree, sleep, waitFor } from './http';
export type { HttpRequest, HttpResponse } from './http';
export { parseFlatted } from './flatted';
export * from './workflows';
