/** The HTML of `GET /`: what this server is and where its API and docs are. */
export function landingPage(): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>AIAA server</title></head>
<body>
<h1>AIAA server</h1>
<p>An AIAA-compatible AI-assisted annotation server for medical imaging.</p>
<ul>
<li><a href="/v1/models">/v1/models</a>: the loaded models</li>
<li><a href="/docs">/docs</a>: the API (Swagger UI)</li>
<li><a href="/logs?lines=100">/logs?lines=100</a>: the server log</li>
<li><a href="/health">/health</a>: liveness</li>
</ul>
</body>
</html>
`;
}
