# W2: db averaged over the batch and positions instead of summed ("the gradient of a bias is the
# mean of the upstream gradient", confusing it with a mean-reduced loss).
def conv2d_backward_weights(dout, cache):
    cols, w, x_shape, stride, padding = cache
    F = w.shape[0]
    dout_t = dout.transpose(1, 0, 2, 3).reshape(F, -1)
    db = dout_t.mean(axis=1)
    dw = (cols.T @ dout_t.T).T.reshape(w.shape)
    return dw, db
