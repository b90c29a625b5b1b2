// The real yaml-language-server over stdio, driven as an editor would (VS Code's YAML extension and
// every other client speak this protocol): open a document, read its diagnostics, ask for completion.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  CompletionRequest,
  ConfigurationRequest,
  createProtocolConnection,
  DidChangeConfigurationNotification,
  DidOpenTextDocumentNotification,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  StreamMessageReader,
  StreamMessageWriter,
  type CompletionItem,
  type CompletionList,
  type Diagnostic,
  type ProtocolConnection,
} from 'vscode-languageserver-protocol/node';

const SERVER = fileURLToPath(new URL('../../node_modules/yaml-language-server/bin/yaml-language-server', import.meta.url));

/** Settings as the VS Code YAML extension sends them; no schema store (no network). */
const SETTINGS = {
  yaml: { validate: true, completion: true, hover: true, schemaStore: { enable: false }, schemas: {}, format: { enable: false } },
};

export interface YamlLs {
  /** Opens the file and waits for the first diagnostics the server publishes for it. */
  open(file: string): Promise<Diagnostic[]>;
  complete(file: string, line: number, character: number): Promise<CompletionItem[]>;
  close(): Promise<void>;
}

export async function startYamlLs(rootDir: string): Promise<YamlLs> {
  const child: ChildProcess = spawn(process.execPath, [SERVER, '--stdio'], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { PATH: process.env.PATH, HOME: process.env.HOME },
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const connection: ProtocolConnection = createProtocolConnection(
    new StreamMessageReader(child.stdout!),
    new StreamMessageWriter(child.stdin!),
  );
  const waiting = new Map<string, (d: Diagnostic[]) => void>();
  connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
    const resolve = waiting.get(params.uri);
    if (resolve) {
      waiting.delete(params.uri);
      resolve(params.diagnostics);
    }
  });
  connection.onRequest(ConfigurationRequest.type, (params) =>
    params.items.map((item) => (item.section === 'yaml' ? SETTINGS.yaml : item.section ? null : SETTINGS)),
  );
  connection.listen();
  const rootUri = pathToFileURL(rootDir).href;
  await connection.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri,
    workspaceFolders: [{ uri: rootUri, name: 'catalog' }],
    capabilities: {
      workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: false } },
      textDocument: {
        completion: { completionItem: { snippetSupport: true } },
        publishDiagnostics: {},
      },
    },
  });
  await connection.sendNotification(InitializedNotification.type, {});
  await connection.sendNotification(DidChangeConfigurationNotification.type, { settings: SETTINGS });

  return {
    async open(file) {
      const uri = pathToFileURL(file).href;
      const diagnostics = new Promise<Diagnostic[]>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`yaml-language-server published no diagnostics for ${file}\n${stderr}`)), 20_000);
        waiting.set(uri, (d) => {
          clearTimeout(timer);
          resolve(d);
        });
      });
      await connection.sendNotification(DidOpenTextDocumentNotification.type, {
        textDocument: { uri, languageId: 'yaml', version: 1, text: readFileSync(file, 'utf8') },
      });
      return diagnostics;
    },
    async complete(file, line, character) {
      const result: CompletionList | CompletionItem[] | null = await connection.sendRequest(CompletionRequest.type, {
        textDocument: { uri: pathToFileURL(file).href },
        position: { line, character },
      });
      return result === null ? [] : Array.isArray(result) ? result : result.items;
    },
    async close() {
      connection.dispose();
      child.kill();
      await new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve)));
    },
  };
}
