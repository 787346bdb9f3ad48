package org.jivesoftware.util;

import java.time.temporal.ChronoUnit;
import java.util.function.Consumer;

/** Compile-only mirror of Openfire 5.1.1 {@code SystemProperty} (a final class with a builder). */
public final class SystemProperty<T> {
    private SystemProperty() {
        throw new UnsupportedOperationException("compile-only mirror");
    }

    public T getValue() {
        throw new UnsupportedOperationException("compile-only mirror");
    }

    public void setValue(final T value) {
        throw new UnsupportedOperationException("compile-only mirror");
    }

    public String getKey() {
        throw new UnsupportedOperationException("compile-only mirror");
    }

    public T getDefaultValue() {
        throw new UnsupportedOperationException("compile-only mirror");
    }

    public void addListener(final Consumer<T> listener) {
        throw new UnsupportedOperationException("compile-only mirror");
    }

    public void removeListener(final Consumer<T> listener) {
        throw new UnsupportedOperationException("compile-only mirror");
    }

    public static final class Builder<T> {
        private Builder() {
            throw new UnsupportedOperationException("compile-only mirror");
        }

        public static <T> Builder<T> ofType(final Class<T> clazz) {
            throw new UnsupportedOperationException("compile-only mirror");
        }

        public Builder<T> setKey(final String key) {
            throw new UnsupportedOperationException("compile-only mirror");
        }

        public Builder<T> setDefaultValue(final T defaultValue) {
            throw new UnsupportedOperationException("compile-only mirror");
        }

        public Builder<T> setMinValue(final T minValue) {
            throw new UnsupportedOperationException("compile-only mirror");
        }

        public Builder<T> setMaxValue(final T maxValue) {
            throw new UnsupportedOperationException("compile-only mirror");
        }

        public Builder<T> setChronoUnit(final ChronoUnit chronoUnit) {
            throw new UnsupportedOperationException("compile-only mirror");
        }

        public Builder<T> setDynamic(final boolean dynamic) {
            throw new UnsupportedOperationException("compile-only mirror");
        }

        public Builder<T> setEncrypted(final boolean encrypted) {
            throw new UnsupportedOperationException("compile-only mirror");
        }

        public Builder<T> setPlugin(final String plugin) {
            throw new UnsupportedOperationException("compile-only mirror");
        }

        public SystemProperty<T> build() throws IllegalArgumentException {
            throw new UnsupportedOperationException("compile-only mirror");
        }
    }
}
