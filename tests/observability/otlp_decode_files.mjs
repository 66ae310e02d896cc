// Decodes otlp_export_app exports that a test collector saved to files, with the OpenTelemetry
// JavaScript SDK's generated protobuf code, and runs otlp_export_checks.mjs's checks on them
// (the first file in full, later ones for the same counter values). Prints each decoded request
// as JSON (64-bit integers as strings) to stdout; exits 1 listing every failed check.
//
//   FAILOVER_REPO=<tree holding node_modules/> node otlp_decode_files.mjs FIRST.bin [LATER.bin...]
//
// Used by otlp_grpc_decode_test.py, whose gRPC collector is Python grpcio.
import fs from 'node:fs';

import {checkExports, finish, loadDecoder} from './otlp_export_checks.mjs';

const repo = process.env.FAILOVER_REPO;
const files = process.argv.slice(2);
if (!repo || files.length === 0) {
  console.error('usage: FAILOVER_REPO=DIR node otlp_decode_files.mjs FILE...');
  process.exit(2);
}
const {ExportMetricsServiceRequest} = loadDecoder(repo).collector.metrics.v1;
const exports = files.map((file) => ({what: file, body: fs.readFileSync(file)}));
for (const {what, body} of exports) {
  try {
    const decoded = ExportMetricsServiceRequest.toObject(ExportMetricsServiceRequest.decode(body),
                                                         {longs: String, defaults: false});
    console.log(JSON.stringify({file: what, request: decoded}));
  } catch (e) {
    // checkExports reports it.
  }
}
checkExports(exports);
finish(`PASSED: the OpenTelemetry decoder read every expected metric in ${files.length} export(s)`);
