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
        },
        "/docs": {
          "get": {
            "operationId": "apiDocsPage",
            "summary": "The browsable API page: Swagger UI on this document.",
            "tags": ["platform"],
            "responses": {
              "200": { "description": "The page.", "content": { "text/html": { "schema": { "type": "string" } } } },
              "503": { "description": "Swagger UI's files are not installed (GBM_API_DOCS_DIR).", "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } } }
            }
          }
        },
        "/docs/init.js": {
          "get": {
            "operationId": "apiDocsScript",
            "summary": "The page's start-up script.",
            "tags": ["platform"],
            "responses": {
              "200": { "description": "The script.", "content": { "text/javascript": { "schema": { "type": "string" } } } },
              "503": { "description": "Swagger UI's files are not installed (GBM_API_DOCS_DIR).", "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } } }
            }
          }
        },
        "/docs/assets/{file}": {
          "get": {
            "operationId": "apiDocsAsset",
            "summary": "One of Swagger UI's files, as the PyPI package swagger-ui-bundle-v2 ships it.",
            "tags": ["platform"],
            "parameters": [
              { "name": "file", "in": "path", "required": true, "schema": { "enum": ["swagger-ui-bundle.js", "swagger-ui.css", "favicon-32x32.png"] } }
            ],
            "responses": {
              "200": { "description": "The file.", "content": {
                "text/javascript": { "schema": { "type": "string" } },
                "text/css": { "schema": { "type": "string" } },
                "image/png": { "schema": { "type": "string" } }
              } },
              "404": { "description": "The file is not in GBM_API_DOCS_DIR.", "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } } },
              "422": { "description": "Not one of the files listed.", "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } } },
              "503": { "description": "Swagger UI's files are not installed (GBM_API_DOCS_DIR).", "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } } }
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
