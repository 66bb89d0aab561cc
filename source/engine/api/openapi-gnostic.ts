import protobuf from 'protobufjs';

/**
 * The part of gnostic's `openapi_v2.Document` (github.com/google/gnostic, openapiv2/OpenAPIv2.proto)
 * that a served Swagger 2.0 document uses; field numbers are upstream's. kubectl 1.27/1.28 fetch
 * /openapi/v2 in this encoding.
 */
const PROTO = `
syntax = "proto3";
package openapi.v2;
message Document {
  string swagger = 1;
  Info info = 2;
  repeated string consumes = 6;
  repeated string produces = 7;
  Paths paths = 8;
  Definitions definitions = 9;
}
message Info { string title = 1; string version = 2; }
message Paths { repeated NamedPathItem path = 2; }
message NamedPathItem { string name = 1; PathItem value = 2; }
message PathItem {
  Operation get = 2;
  Operation put = 3;
  Operation post = 4;
  Operation delete = 5;
  Operation patch = 8;
}
message Operation {
  repeated string tags = 1;
  string description = 3;
  string operation_id = 5;
  repeated string produces = 6;
  repeated string consumes = 7;
  repeated ParametersItem parameters = 8;
  Responses responses = 9;
  repeated string schemes = 10;
  repeated NamedAny vendor_extension = 13;
}
message ParametersItem { oneof oneof { Parameter parameter = 1; } }
message Parameter { oneof oneof { BodyParameter body_parameter = 1; NonBodyParameter non_body_parameter = 2; } }
message BodyParameter { string description = 1; string name = 2; string in = 3; bool required = 4; Schema schema = 5; }
message NonBodyParameter {
  oneof oneof { QueryParameterSubSchema query_parameter_sub_schema = 3; PathParameterSubSchema path_parameter_sub_schema = 4; }
}
message QueryParameterSubSchema { bool required = 1; string in = 2; string description = 3; string name = 4; string type = 6; bool unique_items = 20; }
message PathParameterSubSchema { bool required = 1; string in = 2; string description = 3; string name = 4; string type = 5; bool unique_items = 19; }
message Responses { repeated NamedResponseValue response_code = 1; }
message NamedResponseValue { string name = 1; ResponseValue value = 2; }
message ResponseValue { oneof oneof { Response response = 1; } }
message Response { string description = 1; SchemaItem schema = 2; }
message SchemaItem { oneof oneof { Schema schema = 1; } }
message Definitions { repeated NamedSchema additional_properties = 1; }
message NamedSchema { string name = 1; Schema value = 2; }
message Schema {
  string _ref = 1;
  string format = 2;
  string description = 4;
  repeated string required = 19;
  AdditionalPropertiesItem additional_properties = 21;
  TypeItem type = 22;
  ItemsItem items = 23;
  Properties properties = 25;
  repeated NamedAny vendor_extension = 31;
}
message AdditionalPropertiesItem { oneof oneof { Schema schema = 1; bool boolean = 2; } }
message TypeItem { repeated string value = 1; }
message ItemsItem { repeated Schema schema = 1; }
message Properties { repeated NamedSchema additional_properties = 1; }
message NamedAny { string name = 1; Any value = 2; }
// gnostic keeps vendor extension values as YAML text; JSON is YAML.
message Any { string yaml = 2; }
`;

// Allowed `any` (eslint.config.js): OpenAPI documents of any shape, walked into the gnostic messages.
type Json = Record<string, any>;

let documentType: protobuf.Type | undefined;

function docType(): protobuf.Type {
  documentType ??= protobuf.parse(PROTO, { keepCase: true }).root.lookupType('openapi.v2.Document');
  return documentType;
}

const named = <T>(obj: Json | undefined, f: (v: Json) => T) =>
  Object.entries(obj ?? {}).map(([name, value]) => ({ name, value: f(value) }));

function extensions(obj: Json): Json[] {
  return Object.entries(obj)
    .filter(([k]) => k.startsWith('x-'))
    .map(([name, value]) => ({ name, value: { yaml: JSON.stringify(value) } }));
}

function schema(s: Json): Json {
  return {
    _ref: s.$ref,
    format: s.format,
    description: s.description,
    required: s.required,
    additional_properties: s.additionalProperties && { schema: schema(s.additionalProperties) },
    type: s.type && { value: [s.type] },
    items: s.items && { schema: [schema(s.items)] },
    properties: s.properties && { additional_properties: named(s.properties, schema) },
    vendor_extension: extensions(s),
  };
}

function parameter(p: Json): Json {
  if (p.in === 'body')
    return {
      parameter: {
        body_parameter: {
          name: p.name,
          in: p.in,
          description: p.description,
          required: p.required,
          schema: schema(p.schema),
        },
      },
    };
  const sub = {
    name: p.name,
    in: p.in,
    description: p.description,
    required: p.required,
    type: p.type,
    unique_items: p.uniqueItems,
  };
  return {
    parameter: {
      non_body_parameter: p.in === 'path' ? { path_parameter_sub_schema: sub } : { query_parameter_sub_schema: sub },
    },
  };
}

function operation(op: Json): Json {
  return {
    tags: op.tags,
    description: op.description,
    operation_id: op.operationId,
    produces: op.produces,
    consumes: op.consumes,
    parameters: (op.parameters ?? []).map(parameter),
    responses: {
      response_code: named(op.responses, (r) => ({
        response: { description: r.description, schema: r.schema && { schema: schema(r.schema) } },
      })),
    },
    schemes: op.schemes,
    vendor_extension: extensions(op),
  };
}

/** Encodes a Swagger 2.0 document (JSON form) as a gnostic `openapi_v2.Document`. */
export function encodeGnostic(doc: Json): Uint8Array {
  const type = docType();
  const message = type.fromObject({
    swagger: doc.swagger,
    info: doc.info,
    consumes: doc.consumes,
    produces: doc.produces,
    paths: {
      path: named(doc.paths, (item: Json) =>
        Object.fromEntries(Object.entries(item).map(([verb, op]) => [verb, operation(op)])),
      ),
    },
    definitions: { additional_properties: named(doc.definitions, schema) },
  });
  return type.encode(message).finish();
}

/** Decodes a gnostic document back to plain objects (tests). */
export function decodeGnostic(bytes: Uint8Array): Json {
  const type = docType();
  return type.toObject(type.decode(bytes), { defaults: false, oneofs: false }) as Json;
}
