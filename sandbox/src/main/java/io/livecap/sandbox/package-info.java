/**
 * A fake Kaltura REACH partner to rehearse against: {@link io.livecap.sandbox.ReachSandbox}.
 * <p>
 * Run it: {@code java -jar livecap.jar sandbox [--port 8090] [--events 2] [--starts-in 120] [--duration 300]
 * [--regions us,eu] [--audio FILE]}; it prints the {@code livecap serve} command line for each region.
 * <ul>
 * <li>API v3: {@code POST http://127.0.0.1:PORT/<region>/api_v3/service/<service>/action/<action>}</li>
 * <li>media: {@code ws://127.0.0.1:PORT+1/media/<region>/<eventId>}, AAC in MPEG-TS, in real time</li>
 * <li>captions: {@code ws://127.0.0.1:PORT+1/captions/<region>/<eventId>}, one JSON caption per text message</li>
 * <li>the report: {@code GET /sandbox/report}</li>
 * </ul>
 * Admin actions (POST), each also a method of {@link io.livecap.sandbox.ReachSandbox} or
 * {@link io.livecap.sandbox.SandboxRegion}: {@code /sandbox/cancel?region=us&task=ID},
 * {@code /sandbox/expire?region=us&task=ID[&at=UNIX_SECONDS]}, {@code /sandbox/fail-extend?region=us&task=ID},
 * {@code /sandbox/pending?region=us&count=N}, {@code /sandbox/fault?kind=http500|stall&seconds=S[&hold=S]},
 * {@code /sandbox/region?name=eu}.
 */
package io.livecap.sandbox;
