package org.kindred.protocol;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a field that the sender may leave out of its JSON object: the message is still a valid one. The record then
 * holds null, or the default its documentation names (an empty list, an empty description). Every field not marked is
 * always on the wire: a frame without it does not decode (or, for {@code hello}'s token, is refused at once).
 *
 * <p>The JSON Schema of the protocol ({@code docs/schema}) lists the fields that are not marked as {@code required};
 * {@code ProtocolSchemaTest} checks every mark against what the records accept. A few fields are required only
 * together with another value (a sanction's {@code room} for a {@code room_ban}); their documentation says when.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD, ElementType.METHOD})
public @interface MayBeAbsent {}
