/**
 * The rule language the built-in filters share: conditions on a message's headers and size,
 * read from the config by {@link org.popbridge.filters.rules.Conditions}.
 */
package org.popbridge.filters.rules;
