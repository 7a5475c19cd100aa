/**
 * The YAML configuration: binding, defaults and checks, with every error naming the file, line and key.
 */
package org.popbridge.proxy.config;
