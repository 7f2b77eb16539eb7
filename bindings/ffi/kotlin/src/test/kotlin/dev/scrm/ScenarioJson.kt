// Maps between the shared scenario files (snake_case keys, RFC 3339 'Z' times, attribute
// values as plain JSON with times as {"time": ...}) and the generated Kotlin API (records,
// enums, Instants), plus the subset matcher of tests/scenarios.rs. Test support only: the
// binding itself maps nothing.
package dev.scrm

import java.time.Instant
import org.json.JSONArray
import org.json.JSONObject

/** The value at [key], or null when it is missing or JSON null. */
fun JSONObject.value(key: String): Any? = if (isNull(key)) null else get(key)

fun JSONObject.str(key: String): String? = value(key) as String?

fun JSONObject.strings(key: String): List<String> =
    (value(key) as JSONArray?)?.map { it as String } ?: emptyList()

fun JSONObject.instant(key: String): Instant? = str(key)?.let(Instant::parse)

fun JSONObject.objects(key: String): List<JSONObject> =
    (value(key) as JSONArray?)?.map { it as JSONObject } ?: emptyList()

/** An attribute value in the scenario form. */
fun attributeToApi(value: Any?): AttributeValue = when (value) {
    is String -> AttributeValue.Text(value)
    is Boolean -> AttributeValue.Bool(value)
    is Int, is Long, is java.math.BigInteger -> AttributeValue.Integer((value as Number).toLong())
    is Number -> AttributeValue.Float(value.toDouble())
    is JSONObject -> AttributeValue.Time(Instant.parse(value.getString("time")))
    is JSONArray -> AttributeValue.TextList(value.map { it as String })
    else -> error("no attribute value for $value")
}

fun attributesToApi(obj: JSONObject?): Map<String, AttributeValue> =
    obj?.keySet()?.associateWith { attributeToApi(obj.get(it)) } ?: emptyMap()

fun customerInput(o: JSONObject) = CustomerInput(
    id = o.getString("id"),
    anonymous = o.value("anonymous") as Boolean?,
    attributes = attributesToApi(o.value("attributes") as JSONObject?),
    removeAttributes = o.strings("remove_attributes"),
    identities = o.objects("identities").map { Identity(it.getString("channel"), it.getString("value")) },
    at = o.instant("at"),
)

fun eventInput(o: JSONObject) = EventInput(
    customer = o.getString("customer"),
    kind = o.getString("kind"),
    channel = o.getString("channel"),
    at = Instant.parse(o.getString("at")),
    direction = o.str("direction")?.let { Direction.valueOf(it.uppercase()) },
    amount = (o.value("amount") as Number?)?.toDouble(),
    target = o.str("target"),
    properties = attributesToApi(o.value("properties") as JSONObject?),
    idempotencyKey = o.str("idempotency_key"),
)

fun mergeRequest(o: JSONObject) = MergeRequest(
    survivor = o.getString("survivor"),
    merged = o.getString("merged"),
    actor = o.getString("actor"),
    note = o.str("note") ?: "",
    at = o.instant("at"),
)

fun engineConfig(o: JSONObject?): EngineConfig {
    val identity = o?.value("identity") as JSONObject?
    val merge = o?.value("merge") as JSONObject?
    val strategies = merge?.value("strategies") as JSONObject?
    return EngineConfig(
        identity = IdentityConfig(identity?.str("default_country_code")),
        merge = MergePolicy(
            onCollision = merge?.str("on_collision")?.let { CollisionPolicy.valueOf(it.uppercase()) },
            identified = merge?.str("identified")?.let { IdentifiedPolicy.valueOf(it.uppercase()) },
            defaultStrategy = merge?.str("default_strategy")?.let { MergeStrategy.valueOf(it.uppercase()) },
            strategies = strategies?.keySet()?.associateWith {
                MergeStrategy.valueOf(strategies.getString(it).uppercase())
            } ?: emptyMap(),
        ),
    )
}

private fun snake(name: String) = name.replace(Regex("[A-Z]")) { "_" + it.value.lowercase() }

/** A result of the Kotlin API in the JSON shape the core serialises (and scenarios expect). */
fun toJson(value: Any?): Any? = when (value) {
    null, Unit -> null
    is String, is Boolean -> value
    is ULong -> value.toLong()
    is UInt -> value.toLong()
    is Number -> value
    is Instant -> value.toString()
    is Enum<*> -> value.name.lowercase()
    is AttributeValue -> when (value) {
        is AttributeValue.Text -> value.value
        is AttributeValue.Integer -> value.value
        is AttributeValue.Float -> value.value
        is AttributeValue.Bool -> value.value
        is AttributeValue.Time -> mapOf("time" to value.value.toString())
        is AttributeValue.TextList -> value.value
    }
    is List<*> -> value.map(::toJson)
    is Map<*, *> -> value.entries.associate { (k, v) -> k as String to toJson(v) }
    else -> recordToJson(value)
}

/** A generated record (or enum case with fields) by reflection on its properties. */
private fun recordToJson(value: Any): Map<String, Any?> {
    val out = linkedMapOf<String, Any?>()
    if (value is MergeReason) out["type"] = snake(value.javaClass.simpleName).trimStart('_')
    for (field in value.javaClass.declaredFields) {
        if (java.lang.reflect.Modifier.isStatic(field.modifiers)) continue
        field.isAccessible = true
        out[snake(field.name)] = toJson(field.get(value))
    }
    return out
}

/** A thrown error in the shape tests/scenarios.rs matches `error` against. */
fun errorJson(e: ScrmException): Map<String, Any?> = when (e) {
    is ScrmException.Validation -> mapOf("code" to "VALIDATION", "field" to e.field, "message" to e.reason)
    is ScrmException.NotFound -> mapOf("code" to "NOT_FOUND", "message" to e.reason, "line" to e.line?.toLong(), "column" to e.column?.toLong())
    is ScrmException.Conflict -> mapOf("code" to "CONFLICT", "message" to e.reason, "line" to e.line?.toLong(), "column" to e.column?.toLong())
    is ScrmException.SegmentSyntax -> mapOf("code" to "SEGMENT_SYNTAX", "message" to e.reason, "line" to e.line.toLong(), "column" to e.column.toLong())
    is ScrmException.SegmentType -> mapOf("code" to "SEGMENT_TYPE", "message" to e.reason, "line" to e.line.toLong(), "column" to e.column.toLong())
    is ScrmException.Store -> mapOf("code" to "STORE", "message" to e.reason)
}

/**
 * Checks that [actual] contains [expected] (tests/scenarios.rs `mismatch`): every key given
 * must be present and equal (a null expectation also matches a missing key), arrays have the
 * same length and match element by element, numbers match within 1e-9. Returns the path of
 * the first mismatch, or null.
 */
fun mismatch(expected: Any?, actual: Any?, path: String): String? {
    if (expected is JSONObject && actual is Map<*, *>) {
        for (key in expected.keySet()) {
            val want = expected.get(key)
            if (!actual.containsKey(key) || actual[key] == null) {
                if (want == JSONObject.NULL) continue
                return "$path.$key: missing"
            }
            mismatch(want, actual[key], "$path.$key")?.let { return it }
        }
        return null
    }
    if (expected is JSONArray && actual is List<*> && expected.length() == actual.size) {
        for (i in 0 until expected.length()) {
            mismatch(expected.get(i), actual[i], "$path[$i]")?.let { return it }
        }
        return null
    }
    if (expected is Number && actual is Number) {
        val diff = Math.abs(expected.toDouble() - actual.toDouble())
        return if (diff > 1e-9) "$path: expected $expected, got $actual" else null
    }
    if (expected == JSONObject.NULL && actual == null) return null
    if (expected == actual) return null
    return "$path: expected $expected, got $actual"
}
