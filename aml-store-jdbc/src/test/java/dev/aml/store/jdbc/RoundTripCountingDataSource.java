package dev.aml.store.jdbc;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * A data source that counts the calls that cost a round trip to the server: statement executions,
 * {@code commit} and {@code rollback} (PostgreSQL's driver sends {@code BEGIN} with the first
 * statement of a transaction, so {@code setAutoCommit} costs none).
 */
final class RoundTripCountingDataSource {

    private static final Set<String> ROUND_TRIPS = Set.of("execute", "executeQuery", "executeUpdate",
            "executeBatch", "executeLargeUpdate", "commit", "rollback");

    final AtomicInteger roundTrips = new AtomicInteger();
    final DataSource dataSource;

    RoundTripCountingDataSource(DataSource target) {
        this.dataSource = proxy(DataSource.class, target);
    }

    @SuppressWarnings("unchecked")
    private <T> T proxy(Class<T> type, Object target) {
        InvocationHandler handler = (p, method, args) -> invoke(target, method, args);
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler);
    }

    private Object invoke(Object target, Method method, Object[] args) throws Throwable {
        if (ROUND_TRIPS.contains(method.getName())) {
            roundTrips.incrementAndGet();
        }
        Object result;
        try {
            result = method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
        if (result instanceof PreparedStatement ps) {
            return proxy(PreparedStatement.class, ps);
        }
        if (result instanceof Statement st) {
            return proxy(Statement.class, st);
        }
        if (result instanceof Connection c) {
            return proxy(Connection.class, c);
        }
        return result;
    }
}
