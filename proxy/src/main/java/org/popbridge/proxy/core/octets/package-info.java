/**
 * Searches in netty buffers that the protocol codecs run over every octet of a message body,
 * done faster than netty's general-purpose ones where the buffer's memory can be read directly.
 */
package org.popbridge.proxy.core.octets;
