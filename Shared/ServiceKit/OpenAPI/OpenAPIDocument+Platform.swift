extension OpenAPIDocument {
    /// The routes every service has (`/health/live`, `/health/ready`, `/metrics`, `/openapi.json`) and the
    /// `Problem` schema, ready to merge into a service's own document.
    ///
    /// ``makeRouter(service:readiness:auth:openAPI:logger:readinessTimeout:)`` serves the document with these merged,
    /// and the route-coverage checks merge them too.
    public static let platformPaths: OpenAPIDocument = {
        // The literal below is valid OpenAPI 3.1 JSON, checked by ServiceKitTests.
        try! OpenAPIDocument(json: platformJSON)
    }()

    private static let platformJSON = #"""
    {
      "openapi": "3.1.0",
      "info": { "title": "GBM platform endpoints", "version": "1.0.0" },
      "paths": {
        "/health/live": {
          "get": {
            "operationId": "healthLive",
            "summary": "Liveness: the process is up and serving HTTP.",
            "tags": ["platform"],
            "responses": {
              "200": {
                "description": "Alive.",
                "content": { "application/json": { "schema": {
                  "type": "object", "required": ["status"],
                  "properties": { "status": { "const": "live" } }
                } } }
              }
            }
          }
        },
        "/health/ready": {
          "get": {
            "operationId": "healthReady",
            "summary": "Readiness: every dependency check passed within its timeout.",
            "tags": ["platform"],
            "responses": {
              "200": { "description": "Ready.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/ReadinessReport" } } } },
              "503": { "description": "At least one check failed or timed out.", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/ReadinessReport" } } } }
            }
          }
        },
        "/metrics": {
          "get": {
            "operationId": "metrics",
            "summary": "Prometheus text exposition of the service's metrics.",
            "tags": ["platform"],
            "responses": {
              "200": { "description": "Metrics.", "content": { "text/plain": { "schema": { "type": "string" } } } }
            }
          }
        },
        "/openapi.json": {
          "get": {
            "operationId": "openAPIDocument",
            "summary": "This OpenAPI 3.1 document.",
            "tags": ["platform"],
            "responses": {
              "200": { "description": "The document.", "content": { "application/json": { "schema": { "type": "object" } } } }
            }
          }
        }
      },
      "components": {
        "schemas": {
          "ReadinessReport": {
            "type": "object",
            "required": ["status", "checks"],
            "properties": {
              "status": { "enum": ["ready", "not-ready"] },
              "checks": {
                "type": "object",
                "additionalProperties": {
                  "type": "object",
                  "required": ["status", "durationMs"],
                  "properties": {
                    "status": { "enum": ["pass", "fail"] },
                    "reason": { "type": "string" },
                    "durationMs": { "type": "integer" }
                  }
                }
              }
            }
          },
          "Problem": {
            "type": "object",
            "description": "RFC 9457 problem details, media type application/problem+json.",
            "required": ["type", "title", "status", "code"],
            "properties": {
              "type": { "type": "string", "format": "uri" },
              "title": { "type": "string" },
              "status": { "type": "integer" },
              "detail": { "type": "string" },
              "instance": { "type": "string" },
              "code": { "type": "string" },
              "requestId": { "type": "string" },
              "errors": {
                "type": "array",
                "items": {
                  "type": "object",
                  "required": ["field", "reason"],
                  "properties": { "field": { "type": "string" }, "reason": { "type": "string" } }
                }
              }
            }
          }
        }
      }
    }
    """#
}
