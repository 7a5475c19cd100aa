/** The filter SPI and the built-in filters; knows mail messages, not sockets. */
package org.popbridge.filters;
