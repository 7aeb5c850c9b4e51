// A test-only service with one method per google.api.http rule shape, built
// at run time from a FileDescriptorProto (gen/ holds only the published
// APIs). The transcoder reads it exactly as it reads generated descriptors.
import { create, createFileRegistry, setExtension } from "@bufbuild/protobuf";
import type { DescMessage, DescService, MessageInitShape } from "@bufbuild/protobuf";
import {
  FieldDescriptorProto_Label as Label,
  FieldDescriptorProto_Type as Type,
  FileDescriptorProtoSchema,
  MethodOptionsSchema,
  ServiceOptionsSchema,
  file_google_protobuf_timestamp,
} from "@bufbuild/protobuf/wkt";
import { http } from "../../gen/google/api/annotations_pb.js";
import { HttpRuleSchema } from "../../gen/google/api/http_pb.js";
import type { HttpRule } from "../../gen/google/api/http_pb.js";
import { JsonNaming, service_json_naming } from "../../gen/dataproc_connect/v1/rest_pb.js";

type Field = { name: string; number: number; type: Type; typeName?: string; repeated?: boolean };
const field = (f: Field) => ({
  name: f.name,
  // Set explicitly: an unset json_name of a runtime-built descriptor reads as "".
  jsonName: f.name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()),
  number: f.number,
  type: f.type,
  label: f.repeated ? Label.REPEATED : Label.OPTIONAL,
  ...(f.typeName ? { typeName: f.typeName } : {}),
});

function methodOptions(rule: MessageInitShape<typeof HttpRuleSchema>) {
  const options = create(MethodOptionsSchema);
  setExtension(options, http, create(HttpRuleSchema, rule) as HttpRule);
  return options;
}

/** Builds `test.rest.v1.Shapes` (and a proto-names twin `SnakeShapes`). */
export function restTestService(): { service: DescService; snake: DescService; message(name: string): DescMessage } {
  const snakeOptions = create(ServiceOptionsSchema);
  setExtension(snakeOptions, service_json_naming, JsonNaming.PROTO_NAME);
  const methods = [
    // {name=projects/*/jobs/*}, falling back to an additional binding on legacy_id.
    { name: "Get", inputType: ".test.rest.v1.GetRequest", outputType: ".test.rest.v1.Item",
      options: methodOptions({ pattern: { case: "get", value: "/v1/{name=projects/*/jobs/*}" },
        additionalBindings: [{ pattern: { case: "get", value: "/v1/legacy/{legacy_id}" } }] }) },
    // Nested path field, every other field in the query.
    { name: "List", inputType: ".test.rest.v1.ListRequest", outputType: ".test.rest.v1.ListResponse",
      options: methodOptions({ pattern: { case: "get", value: "/v1/{parent.id}/items" } }) },
    // ** with a verb, a named body field, the rest in the query.
    { name: "Upload", inputType: ".test.rest.v1.UploadRequest", outputType: ".test.rest.v1.Item",
      options: methodOptions({ pattern: { case: "post", value: "/v1/{path=**}:upload" }, body: "item" }) },
    // body "*" whose fields are all in the path: {}.
    { name: "Cancel", inputType: ".test.rest.v1.IdRequest", outputType: ".test.rest.v1.Item",
      options: methodOptions({ pattern: { case: "post", value: "/v1/items/{id}:cancel" }, body: "*" }) },
    { name: "Delete", inputType: ".test.rest.v1.IdRequest", outputType: ".test.rest.v1.Item",
      options: methodOptions({ pattern: { case: "delete", value: "/v1/items/{id}" } }) },
    // response_body: the HTTP body is Item.labels... here: the `item` field of Wrapped.
    { name: "Peek", inputType: ".test.rest.v1.IdRequest", outputType: ".test.rest.v1.Wrapped",
      options: methodOptions({ pattern: { case: "get", value: "/v1/items/{id}:peek" }, responseBody: "item" }) },
    { name: "Head", inputType: ".test.rest.v1.IdRequest", outputType: ".test.rest.v1.Item",
      options: methodOptions({ pattern: { case: "custom", value: { kind: "HEAD", path: "/v1/items/{id}" } } }) },
  ];
  const proto = create(FileDescriptorProtoSchema, {
    name: "test/rest/v1/shapes.proto",
    package: "test.rest.v1",
    syntax: "proto3",
    dependency: ["google/protobuf/timestamp.proto"],
    enumType: [{ name: "Color", value: [{ name: "COLOR_UNSPECIFIED", number: 0 }, { name: "COLOR_RED", number: 1 }, { name: "COLOR_DARK_BLUE", number: 2 }] }],
    messageType: [
      { name: "GetRequest", field: [field({ name: "name", number: 1, type: Type.STRING }), field({ name: "legacy_id", number: 2, type: Type.STRING })] },
      { name: "Leaf", field: [field({ name: "deep_value", number: 1, type: Type.STRING }), field({ name: "count", number: 2, type: Type.INT64 })] },
      { name: "Mid", field: [field({ name: "leaf", number: 1, type: Type.MESSAGE, typeName: ".test.rest.v1.Leaf" }), field({ name: "flag", number: 2, type: Type.BOOL })] },
      { name: "Filter", field: [field({ name: "mid", number: 1, type: Type.MESSAGE, typeName: ".test.rest.v1.Mid" }), field({ name: "text", number: 2, type: Type.STRING })] },
      { name: "Parent", field: [field({ name: "id", number: 1, type: Type.STRING })] },
      {
        name: "ListRequest",
        field: [
          field({ name: "parent", number: 1, type: Type.MESSAGE, typeName: ".test.rest.v1.Parent" }),
          field({ name: "page_size", number: 2, type: Type.INT64 }),
          field({ name: "tags", number: 3, type: Type.STRING, repeated: true }),
          field({ name: "color", number: 4, type: Type.ENUM, typeName: ".test.rest.v1.Color" }),
          field({ name: "since", number: 5, type: Type.MESSAGE, typeName: ".google.protobuf.Timestamp" }),
          field({ name: "filter", number: 6, type: Type.MESSAGE, typeName: ".test.rest.v1.Filter" }),
          field({ name: "query_text", number: 7, type: Type.STRING }),
          field({ name: "items", number: 8, type: Type.MESSAGE, typeName: ".test.rest.v1.Item", repeated: true }),
        ],
      },
      { name: "Item", field: [field({ name: "id", number: 1, type: Type.STRING }), field({ name: "display_name", number: 2, type: Type.STRING }), field({ name: "size_bytes", number: 3, type: Type.INT64 })] },
      { name: "ListResponse", field: [field({ name: "items", number: 1, type: Type.MESSAGE, typeName: ".test.rest.v1.Item", repeated: true }), field({ name: "next_page_token", number: 2, type: Type.STRING })] },
      { name: "UploadRequest", field: [field({ name: "path", number: 1, type: Type.STRING }), field({ name: "item", number: 2, type: Type.MESSAGE, typeName: ".test.rest.v1.Item" }), field({ name: "dry_run", number: 3, type: Type.BOOL })] },
      { name: "IdRequest", field: [field({ name: "id", number: 1, type: Type.STRING })] },
      { name: "Wrapped", field: [field({ name: "item", number: 1, type: Type.MESSAGE, typeName: ".test.rest.v1.Item" }), field({ name: "etag", number: 2, type: Type.STRING })] },
    ],
    service: [
      { name: "Shapes", method: methods },
      { name: "SnakeShapes", method: methods, options: snakeOptions },
    ],
  });
  const registry = createFileRegistry(proto, (name) => (name === "google/protobuf/timestamp.proto" ? file_google_protobuf_timestamp : undefined));
  return {
    service: registry.getService("test.rest.v1.Shapes")!,
    snake: registry.getService("test.rest.v1.SnakeShapes")!,
    message: (name) => registry.getMessage(`test.rest.v1.${name}`)!,
  };
}
