/*
 * schema_check.c - the tests' JSON Schema subset validator (see
 * schema_check.h).
 */
#define _GNU_SOURCE
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schema_check.h"

typedef struct checker {
    const json_t *root;
    char *msg;
    size_t size;
    int depth;
} checker;

static int check(checker *c, const json_t *schema, const json_t *inst, const char *path);

static int fail(checker *c, const char *path, const char *what, const char *detail)
{
    snprintf(c->msg, c->size, "%s: %s%s%s", path[0] ? path : "/", what, detail ? " " : "",
             detail ? detail : "");
    return 0;
}

static int is_type(const json_t *inst, const char *type)
{
    if (strcmp(type, "object") == 0)
        return json_is_object(inst);
    if (strcmp(type, "array") == 0)
        return json_is_array(inst);
    if (strcmp(type, "string") == 0)
        return json_is_string(inst);
    if (strcmp(type, "boolean") == 0)
        return json_is_boolean(inst);
    if (strcmp(type, "null") == 0)
        return json_is_null(inst);
    if (strcmp(type, "number") == 0)
        return json_is_number(inst);
    if (strcmp(type, "integer") == 0)
        return json_is_integer(inst) ||
               (json_is_real(inst) && json_real_value(inst) == floor(json_real_value(inst)));
    return -1; /* not a JSON Schema type */
}

static int check_type(checker *c, const json_t *type, const json_t *inst, const char *path)
{
    if (json_is_string(type)) {
        int ok = is_type(inst, json_string_value(type));
        if (ok < 0)
            return fail(c, path, "schema error: unknown type", json_string_value(type));
        return ok ? 1 : fail(c, path, "not of type", json_string_value(type));
    }
    size_t i;
    const json_t *t;
    json_array_foreach(type, i, t) {
        if (is_type(inst, json_string_value(t)) == 1)
            return 1;
    }
    return fail(c, path, "none of the allowed types", NULL);
}

static char *child_path(const char *path, const char *key)
{
    char *p;
    if (asprintf(&p, "%s/%s", path, key) < 0)
        abort();
    return p;
}

static char *index_path(const char *path, size_t i)
{
    char *p;
    if (asprintf(&p, "%s/%zu", path, i) < 0)
        abort();
    return p;
}

static int check_child(checker *c, const json_t *schema, const json_t *inst, const char *path,
                       const char *key)
{
    char *p = child_path(path, key);
    int ok = check(c, schema, inst, p);
    free(p);
    return ok;
}

static int check_object(checker *c, const json_t *schema, const json_t *inst, const char *path)
{
    if (!json_is_object(inst))
        return 1; /* object keywords do not apply to other types */
    size_t i;
    const json_t *name;
    json_array_foreach(json_object_get(schema, "required"), i, name) {
        if (!json_object_get(inst, json_string_value(name)))
            return fail(c, path, "missing required property", json_string_value(name));
    }
    const json_t *props = json_object_get(schema, "properties");
    const json_t *extra = json_object_get(schema, "additionalProperties");
    const char *key;
    const json_t *value;
    json_object_foreach((json_t *)inst, key, value) {
        const json_t *sub = json_object_get(props, key);
        if (!sub && json_is_false(extra))
            return fail(c, path, "property not allowed:", key);
        if (!sub && json_is_object(extra))
            sub = extra;
        if (sub && !check_child(c, sub, value, path, key))
            return 0;
    }
    return 1;
}

static int check_array(checker *c, const json_t *schema, const json_t *inst, const char *path)
{
    if (!json_is_array(inst))
        return 1;
    const json_t *min = json_object_get(schema, "minItems");
    const json_t *max = json_object_get(schema, "maxItems");
    if (min && (json_int_t)json_array_size(inst) < json_integer_value(min))
        return fail(c, path, "too few items", NULL);
    if (max && (json_int_t)json_array_size(inst) > json_integer_value(max))
        return fail(c, path, "too many items", NULL);
    const json_t *prefix = json_object_get(schema, "prefixItems");
    const json_t *items = json_object_get(schema, "items");
    size_t i;
    const json_t *item;
    json_array_foreach(inst, i, item) {
        const json_t *sub = i < json_array_size(prefix) ? json_array_get(prefix, i) : items;
        if (!sub)
            continue;
        char *p = index_path(path, i);
        int ok = check(c, sub, item, p);
        free(p);
        if (!ok)
            return 0;
    }
    return 1;
}

static int check_number(checker *c, const json_t *schema, const json_t *inst, const char *path)
{
    if (!json_is_number(inst))
        return 1;
    const json_t *min = json_object_get(schema, "minimum");
    const json_t *max = json_object_get(schema, "maximum");
    double v = json_number_value(inst);
    if (min && v < json_number_value(min))
        return fail(c, path, "below the minimum", NULL);
    if (max && v > json_number_value(max))
        return fail(c, path, "above the maximum", NULL);
    return 1;
}

static int check_enum(checker *c, const json_t *values, const json_t *inst, const char *path)
{
    size_t i;
    const json_t *v;
    json_array_foreach(values, i, v) {
        if (json_equal((json_t *)v, (json_t *)inst))
            return 1;
    }
    return fail(c, path, "not one of the enum values", NULL);
}

/* oneOf (exactly one branch) or anyOf (at least one). */
static int check_branches(checker *c, const json_t *branches, const json_t *inst,
                          const char *path, int exactly_one)
{
    size_t matched = 0, i;
    const json_t *b;
    char reasons[1024] = "";
    size_t used = 0;
    json_array_foreach(branches, i, b) {
        if (check(c, b, inst, path))
            matched++;
        else if (used < sizeof reasons)
            used += (size_t)snprintf(reasons + used, sizeof reasons - used, "%s[%s]",
                                     used ? " " : "", c->msg);
    }
    if (matched == 0)
        return fail(c, path, "matches no branch:", reasons);
    if (exactly_one && matched > 1)
        return fail(c, path, "matches more than one oneOf branch", NULL);
    return 1;
}

static const json_t *resolve(checker *c, const char *ref)
{
    static const char prefix[] = "#/$defs/";
    if (strncmp(ref, prefix, sizeof prefix - 1) != 0)
        return NULL;
    return json_object_get(json_object_get(c->root, "$defs"), ref + sizeof prefix - 1);
}

static int known_keyword(const char *key)
{
    static const char *const keys[] = {
        "$schema", "$id", "$defs", "$comment", "title", "description", "type", "properties",
        "required", "additionalProperties", "items", "prefixItems", "minItems", "maxItems",
        "enum", "minimum", "maximum", "oneOf", "anyOf", "$ref"};
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
        if (strcmp(key, keys[i]) == 0)
            return 1;
    return 0;
}

static int check(checker *c, const json_t *schema, const json_t *inst, const char *path)
{
    if (json_is_true(schema))
        return 1;
    if (json_is_false(schema))
        return fail(c, path, "no value is allowed here", NULL);
    if (!json_is_object(schema))
        return fail(c, path, "schema error: a schema must be an object or boolean", NULL);
    if (++c->depth > 64) {
        c->depth--;
        return fail(c, path, "schema error: $ref nesting too deep", NULL);
    }
    int ok = 1;
    const char *key;
    const json_t *v;
    json_object_foreach((json_t *)schema, key, v) {
        if (!known_keyword(key)) {
            ok = fail(c, path, "schema error: unsupported keyword", key);
            break;
        }
    }
    const json_t *ref = json_object_get(schema, "$ref");
    if (ok && ref) {
        const json_t *target = resolve(c, json_string_value(ref) ? json_string_value(ref) : "");
        ok = target ? check(c, target, inst, path)
                    : fail(c, path, "schema error: cannot resolve $ref", json_string_value(ref));
    }
    const json_t *type = json_object_get(schema, "type");
    if (ok && type)
        ok = check_type(c, type, inst, path);
    const json_t *values = json_object_get(schema, "enum");
    if (ok && values)
        ok = check_enum(c, values, inst, path);
    if (ok)
        ok = check_number(c, schema, inst, path) && check_object(c, schema, inst, path) &&
             check_array(c, schema, inst, path);
    if (ok && json_object_get(schema, "oneOf"))
        ok = check_branches(c, json_object_get(schema, "oneOf"), inst, path, 1);
    if (ok && json_object_get(schema, "anyOf"))
        ok = check_branches(c, json_object_get(schema, "anyOf"), inst, path, 0);
    c->depth--;
    return ok;
}

int schema_check(const json_t *schema, const json_t *instance, char *msg, size_t size)
{
    checker c = {schema, msg, size, 0};
    if (size)
        msg[0] = '\0';
    return check(&c, schema, instance, "");
}
