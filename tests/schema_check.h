/*
 * schema_check.h - a small JSON Schema (draft 2020-12) validator for the
 * subset docs/record.schema.json uses, for the tests: type, properties,
 * required, additionalProperties (boolean or schema), items, prefixItems,
 * minItems, maxItems, enum, minimum, maximum, oneOf, anyOf, and $ref to
 * "#/$defs/NAME".  Annotations ($schema, $id, $defs, title, description,
 * $comment) are skipped; any other keyword is an error, so the schema cannot
 * use a rule the validator would silently ignore.
 */
#ifndef TV_SCHEMA_CHECK_H
#define TV_SCHEMA_CHECK_H

#include <stddef.h>
#include <jansson.h>

/* 1 if instance is valid against schema (whose $refs resolve in schema
 * itself); else 0 and why in msg, starting with the JSON pointer of the
 * offending value. */
int schema_check(const json_t *schema, const json_t *instance, char *msg, size_t size);

#endif
