/** Whether the page can reach its host: lost when the socket to `quire serve` closes. */
import { createSlice, type PayloadAction } from '@reduxjs/toolkit';

export interface ConnectionState {
  state: 'connected' | 'lost';
  /** When the connection was lost (epoch ms). */
  lostAt?: number;
}

export const initialConnectionState: ConnectionState = { state: 'connected' };

export const connectionSlice = createSlice({
  name: 'connection',
  initialState: initialConnectionState,
  reducers: {
    connectionLost(state: ConnectionState, action: PayloadAction<{ at: number }>) {
      state.state = 'lost';
      state.lostAt = action.payload.at;
    },
    connectionRestored(state: ConnectionState) {
      state.state = 'connected';
      state.lostAt = undefined;
    },
  },
});

export const connectionActions = connectionSlice.actions;
export const connectionReducer = connectionSlice.reducer;
